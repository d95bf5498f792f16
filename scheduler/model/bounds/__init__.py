"""Upper bounds on the weighted wishes and the slot search that proves them: slot bound, slot search, child process."""
