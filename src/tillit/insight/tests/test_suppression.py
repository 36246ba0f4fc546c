"""Disclosure control on the demo city over every combination of the
filters (service × provider kind × care block): no shown count of persons
below 5, no figure beside a hidden count, and no hidden count that follows
from what the page shows (the district list's totals together with the
care-block and IPLOS-profile tables), checked by linear algebra."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from django.test import Client as Browser

from tillit.accounts.models import User
from tillit.core.disclosure import MIN_COUNT
from tillit.insight import aggregates, equal_help, processing, providers, span
from tillit.insight.filters import CARE_BLOCKS, PROVIDER_KINDS, SERVICE_CODES
from tillit.insight.tests.conftest import TODAY

pytestmark = pytest.mark.django_db
COMBINATIONS = list(itertools.product(SERVICE_CODES, PROVIDER_KINDS, CARE_BLOCKS))


def recoverable(tables: list[list[list[int | None]]], totals: list[int | None],
                col_totals: list[list[int | None]], grand: int | None) -> list[tuple]:
    """Hidden values that follow from the shown ones. Unknowns: hidden cells
    of each table ('c', t, r, k), hidden row totals ('r', r), hidden column
    totals ('k', t, k), the grand total ('g',)."""
    unknowns: list[tuple] = []
    equations: list[tuple[dict[tuple, int], int]] = []

    def term(key: tuple, value: int | None, coef: int, eq: dict, rhs: list) -> None:
        if value is None:
            eq[key] = eq.get(key, 0) + coef
            if key not in unknowns:
                unknowns.append(key)
        else:
            rhs[0] -= coef * value

    for t, table in enumerate(tables):
        for r, row in enumerate(table):
            eq: dict = {}
            rhs = [0]
            for k, v in enumerate(row):
                term(("c", t, r, k), v, 1, eq, rhs)
            term(("r", r), totals[r], -1, eq, rhs)
            equations.append((eq, rhs[0]))
        for k in range(len(table[0])):
            eq, rhs = {}, [0]
            for r in range(len(table)):
                term(("c", t, r, k), table[r][k], 1, eq, rhs)
            term(("k", t, k), col_totals[t][k], -1, eq, rhs)
            equations.append((eq, rhs[0]))
        eq, rhs = {}, [0]
        for k in range(len(table[0])):
            term(("k", t, k), col_totals[t][k], 1, eq, rhs)
        term(("g",), grand, -1, eq, rhs)
        equations.append((eq, rhs[0]))
    eq, rhs = {}, [0]
    for r, v in enumerate(totals):
        term(("r", r), v, 1, eq, rhs)
    term(("g",), grand, -1, eq, rhs)
    equations.append((eq, rhs[0]))
    if not unknowns:
        return []
    a = np.array([[e.get(u, 0) for u in unknowns] for e, _ in equations], dtype=float)
    rank = np.linalg.matrix_rank(a)
    found = []
    for i, u in enumerate(unknowns):
        unit = np.zeros(len(unknowns))
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.append(u)
    return found


def count_values(section) -> list[int | None]:
    if section.count_rows:
        return [v for i in section.count_rows for v in section.rows[i][1:]]
    return [row[c] for row in section.rows for c in section.counts]


def test_equal_help_over_every_filter_combination(demo_city):
    day = aggregates.latest_day(TODAY)
    for service, kind, block in COMBINATIONS:
        result = equal_help.compute(day, service, kind, block)
        for section in result.sections:
            assert all(v is None or v >= MIN_COUNT for v in count_values(section)), (
                service, kind, block, section.slug)
        for row in result.rows:
            if row.clients is None:
                assert row.median_hours is None and row.mean_hours is None
                assert row.share_over is None and row.ratio is None
        main, by_block, by_profile = result.sections
        totals = [r[1] for r in main.rows[:-1]]
        grand = main.rows[-1][1]
        tables, cols = [], []
        for section in (by_block, by_profile):
            tables.append([[row[c] for c in section.counts] for row in section.rows[:-1]])
            cols.append([section.rows[-1][c] for c in section.counts])
        assert recoverable(tables, totals, cols, grand) == [], (service, kind, block)


def test_api_over_every_filter_combination(demo_city):
    browser = Browser()
    browser.force_login(User.objects.get(username="analytiker"))
    for service, kind, block in COMBINATIONS:
        body = browser.get("/api/v1/insight/equal-help", {
            "service": service, "provider_kind": kind, "care_block": block}).json()
        for row in body["districts"]:
            assert (row["clients"] is None) == row["suppressed"]
            assert row["clients"] is None or row["clients"] >= MIN_COUNT
            if row["suppressed"]:
                assert row["weekly_hours_median"] is None


@pytest.mark.parametrize("service", SERVICE_CODES)
def test_other_pages_hide_small_counts(demo_city, service):
    day = aggregates.latest_day(TODAY)
    sections = [*processing.compute(TODAY, service), providers.matched(day, service)[0],
                providers.reassessments(), *span.compute(TODAY)]
    for section in sections:
        assert section.counts or section.count_rows, section.slug
        for row in section.rows:
            values = [row[c] for c in section.counts]
            assert all(v is None or v >= MIN_COUNT for v in values), (service, section.slug)
            if values and all(v is None for v in values):
                assert all(v is None for v in row[2:] if not isinstance(v, str)), section.slug
