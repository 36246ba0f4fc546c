"""`gc_paused` pauses the collector for its block and resumes it only if
it was running, after nesting and errors too."""

from __future__ import annotations

import gc

import pytest

from tillit.insight.gc_pause import gc_paused


@gc_paused()
def inner() -> bool:
    return gc.isenabled()


def test_paused_within_resumed_after():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        assert inner() is False
        assert not gc.isenabled(), "the inner pause leaves the outer one paused"
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled(), "a collector paused before stays paused"
    finally:
        gc.enable()
