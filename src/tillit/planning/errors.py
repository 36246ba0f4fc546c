"""Planning's errors, with Norwegian messages for the planner."""

from __future__ import annotations


class PlanningError(Exception):
    """A planning step that cannot be done; `message` is shown to the planner."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PlanConflict(PlanningError):
    """Someone else saved a newer plan (or a newer version of this plan)."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or CONFLICT_MESSAGE)


CONFLICT_MESSAGE = (
    "En annen planlegger har lagret en nyere versjon av planen i mellomtiden. "
    "Last siden på nytt og prøv igjen; ingenting er endret."
)
NO_STAFF_MESSAGE = (
    "Ingen ansatte er satt opp på denne vakten (eller alle er fraværende). "
    "Planen er ikke endret."
)
