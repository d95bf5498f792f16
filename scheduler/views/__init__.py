"""What every output shows, computed once from (event, plan): see `build_view` and the records."""

from scheduler.views.build import build_view
from scheduler.views.lookup import closest_names, find_agendas
from scheduler.views.records import (
    AgendaBlock,
    BlockKind,
    GridRow,
    GroupView,
    PersonAgenda,
    PlanView,
    RoundView,
    RunView,
    Statistics,
)

__all__ = [
    "AgendaBlock",
    "BlockKind",
    "GridRow",
    "GroupView",
    "PersonAgenda",
    "PlanView",
    "RoundView",
    "RunView",
    "Statistics",
    "build_view",
    "closest_names",
    "find_agendas",
]
