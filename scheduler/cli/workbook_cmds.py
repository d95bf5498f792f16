"""Commands: check."""

from scheduler.cli.app import app  # noqa: F401
