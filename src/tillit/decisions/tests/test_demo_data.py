"""The synthetic purchaser-office history: every client covered, national
need-level shares, hours by level, reductions, deterministic, valid."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from statistics import mean

import pytest
from django.core.exceptions import ValidationError

from tillit.clients.models import Client
from tillit.core import careblocks, iplos
from tillit.daylist.models import FrameChange, RevisionProposal, VisitReport
from tillit.decisions.demo_data import build_decisions
from tillit.decisions.models import Application, Assessment, Decision, DecisionVisit, Reassessment
from tillit.planning.models import Visit

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def clear() -> None:
    """Remove the purchaser-office rows (the demo builder already made them)."""
    # the demo's report history (the trust pilot's) points at visits and decisions
    RevisionProposal.objects.all().delete()
    FrameChange.objects.all().delete()
    VisitReport.objects.all().delete()
    Visit.objects.all().delete()  # the day's visits generated from the decisions
    Reassessment.objects.all().delete()
    DecisionVisit.objects.all().delete()
    Decision.objects.update(previous=None)
    Decision.objects.all().delete()
    Assessment.objects.all().delete()
    Application.objects.all().delete()


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    """The small demo city without its purchaser-office rows, built once for
    the module (each test's own rows are rolled back after it)."""
    from tillit.conftest import module_demo_city

    def without_office_rows() -> None:
        assert Decision.objects.exists()  # the demo builder calls build_decisions itself
        clear()

    with module_demo_city(django_db_blocker, without_office_rows,
                          scale=0.05, seed=3, today=TODAY):
        yield


def snapshot() -> list[tuple]:
    return list(Decision.objects.order_by("client__national_id", "version", "service_type")
                .values_list("client__national_id", "version", "care_block", "weekly_minutes",
                             "valid_from", "status"))


def test_history_is_plausible(city) -> None:
    rows = build_decisions(seed=3, today=TODAY)
    clients = Client.objects.count()
    assert rows > 5 * clients
    assert Application.objects.values("client").distinct().count() == clients
    assert not Application.objects.filter(synthetic=False).exists()
    assert not Decision.objects.filter(synthetic=False).exists()

    first = Decision.objects.filter(version=1)
    shares = Counter(first.values_list("care_block", flat=True))
    n = sum(shares.values())
    assert abs(shares["light"] / n - 0.37) < 0.08
    assert abs(shares["extensive"] / n - 0.24) < 0.08
    assert 0.03 < shares[""] / n < 0.16

    hours = {b: mean(m / 60 for m in first.filter(care_block=b)
                     .values_list("weekly_minutes", flat=True))
             for b in ("light", "medium", "extensive")}
    assert 1.0 < hours["light"] < 3.0
    assert 4.5 < hours["medium"] < 9.0
    assert 28 < hours["extensive"] < 48

    # A year of history with reassessments, some of them reductions.
    outcomes = Counter(Reassessment.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes["reduced"] > 0 and outcomes["increased"] > outcomes["reduced"]
    for d in Decision.objects.filter(version=2, change="reduced")[:20]:
        assert d.weekly_minutes < d.previous.weekly_minutes
        assert d.previous.status == "superseded" and d.previous.valid_to < d.valid_from
    # Every active decision's visits fit its frame and pass the model rules.
    for d in Decision.objects.filter(status="active").prefetch_related("visits")[:200]:
        assert d.planned_weekly_minutes() == d.weekly_minutes
        for v in d.visits.all():
            v.full_clean(exclude=["decision", "after"])
    assert DecisionVisit.objects.filter(after__isnull=False).exists()
    # Assessments: valid scores, and the computed block follows the rule.
    for a in Assessment.objects.all()[:200]:
        iplos.validate_scores(a.definition.definition.codes(), a.scores)
        assert careblocks.compute(a.scores).block == a.computed_block
        if a.overridden:
            assert a.override_reason
    # Some open cases, some past the interim-reply deadline.
    assert Application.objects.filter(status__in=["received", "assessed"]).exists()
    # No overlapping active decisions for one client and service.
    active = Counter(Decision.objects.filter(status="active")
                     .values_list("client_id", "service_type_id"))
    assert max(active.values()) == 1


def test_deterministic(city) -> None:
    build_decisions(seed=3, today=TODAY)
    first = snapshot()
    clear()
    build_decisions(seed=3, today=TODAY)
    assert snapshot() == first


def test_model_rules_hold(city) -> None:
    build_decisions(seed=4, today=TODAY)
    for d in Decision.objects.all()[:100]:
        try:
            d.full_clean(exclude=["previous", "series"])
        except ValidationError as exc:  # pragma: no cover - shows what broke
            raise AssertionError(exc.message_dict) from exc



def test_open_cases_get_notes_and_hospital_cases_a_readable_pdf(new_client) -> None:
    """The builder's case files, on a few applications (no demo city: fast)."""
    from tillit.core import filetypes
    from tillit.decisions.demo_data import _Builder
    from tillit.decisions.models import CaseAttachment, CaseNote, ServiceType

    nursing = ServiceType.objects.get(code="home-nursing")
    now = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    apps = [Application.objects.create(
        client=new_client("sagene"), service_type=nursing, source=source, status=status,
        received_at=now, applicant_name="Lovisenberg" if source == "hospital" else "",
        synthetic=True) for source, status in [("hospital", "received"), ("client", "assessed"),
                                               ("hospital", "decided")]]
    _Builder(3, TODAY, None).case_files(apps)
    # (the module's demo city has case files of its own: look at these three)
    notes = CaseNote.objects.filter(application__in=apps)
    assert {n.application_id for n in notes} >= {apps[0].pk, apps[1].pk}
    assert all(n.synthetic and n.text for n in notes)
    attachment = CaseAttachment.objects.get(application__in=apps)  # the open hospital case only
    data = bytes(attachment.content)
    assert attachment.application_id == apps[0].pk and len(data) == attachment.size
    assert filetypes.sniff(data) == ("application/pdf", "pdf") and data.endswith(b"%%EOF\n")
