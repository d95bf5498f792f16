"""Plans without search in CP-SAT: the greedy timetable and its moves, flow seats (fair and polished), rooms."""
