"""Command-line interface: `scheduler template | example | check | plan | verify | export | agenda | diff | send`."""

from scheduler.cli import (
    agenda_cmd,
    export_cmds,
    plan_cmd,
    replan_cmd,
    send_cmd,
    template_cmds,
    verify_cmd,
    workbook_cmds,
)
from scheduler.cli.app import app

__all__ = [
    "agenda_cmd",
    "app",
    "export_cmds",
    "plan_cmd",
    "replan_cmd",
    "send_cmd",
    "template_cmds",
    "verify_cmd",
    "workbook_cmds",
]
