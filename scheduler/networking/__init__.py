"""Networking rounds (`Vernetzung`): everyone present in small groups mixed across organisations.

`sizes` and `measure` are pure counting (used by the reader, the validator and the outputs); `groups` makes
the groups for a solved plan with the annealing of `search`. Nothing here imports the solver of the sessions.
"""
