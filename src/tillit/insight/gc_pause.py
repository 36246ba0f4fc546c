"""The cyclic garbage collector paused while a refresh builds its counts.

A day's refresh at Oslo scale makes hundreds of thousands of small dicts,
lists and tuples (a few per client and report). Each allocation counts
towards Python's next collection, and the collections then walk every
tracked object, the refresh's own included: measured at a fifth to a
quarter of a day's refresh (0.17–0.29 s of 0.9 s, two to four full
collections). The refresh makes no reference cycles that need collecting
(its structures are freed by reference counting when it returns), so the
collector is paused for its duration and resumed after; the refresh runs in
the nightly command, the demo builder and the benchmarks, not in a request.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """`with gc_paused():` or `@gc_paused()` (a fresh pause per call);
    nested uses resume the collector only at the outermost one, and only if
    it was running."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
