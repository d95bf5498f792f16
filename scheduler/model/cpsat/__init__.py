"""The CP-SAT model: its variables, the hard rules, the objective terms, the timetable model and the seat model."""
