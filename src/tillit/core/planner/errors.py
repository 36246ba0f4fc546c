"""Errors raised by the planning engine."""

from __future__ import annotations


class InstanceError(ValueError):
    """The instance is malformed or meaningless; the message names the offending item."""


class InfeasibleError(Exception):
    """A mandatory visit cannot be covered."""

    def __init__(self, visit_id: str, reason: str) -> None:
        super().__init__(f"mandatory visit {visit_id} cannot be covered: {reason}")
        self.visit_id = visit_id
        self.reason = reason
