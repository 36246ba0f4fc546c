"""Shared fixtures for the planner tests (pure core: no Django needed)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "spec" / "examples"


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


@pytest.fixture
def tiny() -> dict:
    return copy.deepcopy(example("tiny.json"))


@pytest.fixture
def features() -> dict:
    return copy.deepcopy(example("features.json"))
