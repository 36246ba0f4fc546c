"""`bulk_rows.insert` writes what `bulk_create` writes (JSON, nulls,
dates, batches past the database's limit of query parameters)."""

from __future__ import annotations

import datetime as dt

import pytest

from tillit.insight import bulk_rows
from tillit.insight.models import AssessmentNeeds, PilotDay, ServiceSnapshot
from tillit.organisation.models import District

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 30)


def rows(model) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "id"}
            for row in model.objects.order_by("pk").values()]


def test_insert_writes_what_bulk_create_writes(city):
    district = District.objects.get(slug="sagene")
    # more rows than one statement of the database's parameters takes
    days = [PilotDay(day=DAY, district=district, team=None, reports=n, fitted=n // 2,
                     proposals={"raised_more": n}, proposal_repeats={}, score_sums={"a": 1.5})
            for n in range(130)]
    cells = [ServiceSnapshot(day=DAY, district=district, service="home-care", care_block="medium",
                             profile="", provider_kind="municipal", clients=3, clients_67=2,
                             clients_80=1, over_kostra=0, minutes=[30, 60, 90])]
    for model, objs in ((PilotDay, days), (ServiceSnapshot, cells)):
        model.objects.bulk_create(objs)
        expected = rows(model)
        model.objects.all().delete()
        bulk_rows.insert(objs)
        assert rows(model) == expected
    bulk_rows.insert([])  # nothing to write


def test_insert_needs_an_automatic_primary_key(city):
    with pytest.raises(TypeError, match="automatic primary key"):
        bulk_rows.insert([AssessmentNeeds(assessment_id=1, needs=2)])
