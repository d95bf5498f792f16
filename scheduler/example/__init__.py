"""The synthetic example event (`scheduler example`): realistic, deterministic for a seed, always feasible."""

from scheduler.example.generate import ExampleError, generate_event

__all__ = ["ExampleError", "generate_event"]
