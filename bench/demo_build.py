"""Benchmark: building the demo city on SQLite.

Prints rows per second for the product's bulk builder at the given scales
and, in the same run, for a baseline that inserts the same kind of rows one
`save()` at a time, so the figures compare on this machine. Target: the full
Oslo-sized city (scale 1.0) within 120 s.

    .venv/bin/python bench/demo_build.py [--scales 0.1,1.0] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 120.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="0.1,1.0")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline-clients", type=int, default=1500)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="tillit-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tillit.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from tillit.clients.models import Client
    from tillit.demo.builder import build_demo_city

    call_command("migrate", verbosity=0)
    rows_out: list[tuple[str, float, int, float, float]] = []
    for scale in [float(s) for s in args.scales.split(",")]:
        started = time.perf_counter()
        summary = build_demo_city(scale=scale, seed=args.seed)
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows_out.append(
            (
                f"bulk builder, scale {scale}",
                elapsed,
                summary.rows,
                summary.rows / elapsed,
                peak,
            )
        )

    # Baseline: the same clients saved one by one (as naive code would).
    template = list(Client.objects.order_by("pk")[: args.baseline_clients])
    Client.objects.filter(pk__in=[c.pk for c in template]).delete()
    started = time.perf_counter()
    for client in template:
        client.pk = None
        client.save()
    elapsed = time.perf_counter() - started
    rows_out.append(
        (
            f"baseline: {len(template)} clients, save() each",
            elapsed,
            len(template),
            len(template) / elapsed,
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        )
    )

    print(f"{'run':45} {'seconds':>9} {'rows':>9} {'rows/s':>10} {'peak RSS MiB':>13}")
    for name, secs, rows, rate, mem in rows_out:
        print(f"{name:45} {secs:9.2f} {rows:9d} {rate:10.0f} {mem:13.1f}")
    full = [r for r in rows_out if r[0].endswith("scale 1.0")]
    if full:
        ok = full[0][1] <= TARGET_SECONDS
        print(
            f"target: scale 1.0 within {TARGET_SECONDS:.0f} s: "
            f"{'met' if ok else 'NOT met'} ({full[0][1]:.1f} s)"
        )
        speedup = full[0][3] / rows_out[-1][3]
        print(f"bulk builder vs baseline: {speedup:.1f}x rows per second")
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
