"""Shared set-up for the planning benchmarks: a demo city in a temporary
SQLite database (the product's own builder), Django ready."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))


def demo_city(scale: float, seed: int):
    """Build the demo city; returns (today, seconds it took)."""
    tmp = Path(tempfile.mkdtemp(prefix="tillit-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tillit.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from tillit.demo.builder import build_demo_city

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    started = time.perf_counter()
    build_demo_city(scale=scale, seed=seed, today=today)
    return today, time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return float(ordered[rank - 1])
