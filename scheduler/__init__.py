"""scheduler: plan virtual networking events with one CP-SAT model for sessions and participants."""

__version__ = "0.1.0"
