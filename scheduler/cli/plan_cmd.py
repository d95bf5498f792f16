"""Commands: plan."""

from scheduler.cli.app import app  # noqa: F401
