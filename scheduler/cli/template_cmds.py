"""Commands: template, example."""

from scheduler.cli.app import app  # noqa: F401
