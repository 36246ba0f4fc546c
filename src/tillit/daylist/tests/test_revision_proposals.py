"""Reports drive the revision rule: proposals in both directions, none for
mixed reports, deduplicated, accepted (a reassessment from visit reports) or
dismissed with a reason."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tillit.accounts.models import Role
from tillit.daylist import services
from tillit.daylist.models import RevisionProposal
from tillit.decisions.models import Reassessment


@pytest.fixture
def carer(make_user):
    return make_user("pleier.sagene.1", Role.CARER, "sagene")


def report_days(carer, client, decision, day_list, fits, notes=()):
    """One visit a day for len(fits) days up to today, each reported."""
    today = timezone.localdate()
    for n, fit in enumerate(fits):
        day = today - dt.timedelta(days=len(fits) - 1 - n)
        (visit,) = day_list(carer, [client], day=day, decisions=[decision])
        services.do_report_visit(carer, visit.pk, report_id=uuid.uuid4(), done=True,
                                 time_fit=fit, note=notes[n] if n < len(notes) else "")


def test_more_time_raises_an_increase_with_evidence(carer, make_client, make_decision, day_list):
    client = make_client()
    decision = make_decision(client)
    report_days(carer, client, decision, day_list,
                ["more", "fitted", "more", "more", "fitted", "more"],
                notes=["", "", "Sårstell tar lengre tid", ""])
    proposal = RevisionProposal.objects.get(decision=decision)
    assert proposal.direction == "increase" and proposal.status == "open"
    assert proposal.evidence["counts"] == {"fitted": 2, "more": 4, "less": 0}
    assert proposal.evidence["notes"][0]["note"] == "Sårstell tar lengre tid"
    assert proposal.evidence["weeks"]


def test_less_time_raises_a_reduction(carer, make_client, make_decision, day_list):
    client = make_client()
    decision = make_decision(client)
    report_days(carer, client, decision, day_list, ["less", "less", "less", "less"])
    assert RevisionProposal.objects.get(decision=decision).direction == "reduce"


def test_mixed_reports_raise_nothing(carer, make_client, make_decision, day_list):
    client = make_client()
    decision = make_decision(client)
    report_days(carer, client, decision, day_list,
                ["more", "less", "more", "less", "fitted", "more"])
    assert not RevisionProposal.objects.filter(decision=decision).exists()


def test_deduplicated_then_accepted_opens_a_reassessment(carer, make_client, make_decision,
                                                         day_list, saksbehandler_sagene):
    client = make_client()
    decision = make_decision(client)
    report_days(carer, client, decision, day_list, ["more"] * 7)
    assert RevisionProposal.objects.filter(decision=decision).count() == 1
    proposal = RevisionProposal.objects.get()
    services.do_accept_proposal(saksbehandler_sagene, proposal)
    reassessment = Reassessment.objects.get(decision=decision)
    assert reassessment.source == "visit_reports"
    assert reassessment.evidence["proposal"] == proposal.pk
    assert reassessment.evidence["counts"]["more"] == 6
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.reassessment == reassessment


def test_dismissed_needs_a_reason_and_is_not_raised_again_on_the_same_reports(
    carer, make_client, make_decision, day_list, saksbehandler_sagene
):
    client = make_client()
    decision = make_decision(client)
    report_days(carer, client, decision, day_list, ["less"] * 4)
    proposal = RevisionProposal.objects.get()
    with pytest.raises(ValidationError):
        services.do_dismiss_proposal(saksbehandler_sagene, proposal, reason=" ")
    services.do_dismiss_proposal(saksbehandler_sagene, proposal, reason="Midlertidig bedring")
    assert services.raise_proposals(decision) is None
    assert RevisionProposal.objects.filter(status="open").count() == 0


def test_proposal_list_page_counts_outcomes(client, carer, make_client, make_decision, day_list,
                                            saksbehandler_sagene):
    c = make_client()
    decision = make_decision(c)
    report_days(carer, c, decision, day_list, ["more"] * 4)
    client.force_login(saksbehandler_sagene)
    page = client.get("/revisjonsforslag/")
    assert page.status_code == 200
    assert c.full_name in page.content.decode()
    proposal = RevisionProposal.objects.get()
    answer = client.post(f"/revisjonsforslag/{proposal.pk}/avvis/", {"reason": "Ikke aktuelt"})
    assert answer.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "dismissed"
    client.force_login(carer)
    assert client.get("/revisjonsforslag/").status_code == 403


def test_thresholds_come_from_the_settings(settings, carer, make_client, make_decision, day_list):
    settings.TILLIT_REVISION_RULE = {"window": 3, "needed": 2}
    client = make_client()
    decision = make_decision(client)
    report_days(carer, client, decision, day_list, ["fitted", "less", "less"])
    proposal = RevisionProposal.objects.get(decision=decision)
    assert proposal.direction == "reduce" and proposal.evidence["looked_at"] == 3
