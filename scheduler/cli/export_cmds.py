"""Commands: export, agenda."""

from scheduler.cli.app import app  # noqa: F401
