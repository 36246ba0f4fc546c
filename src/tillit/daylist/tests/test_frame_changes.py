"""Changes within the frame (Copenhagen model): the team adjusts a visit while
the week stays within the decision's frame ± tolerance; the change is
recorded and kept when the day is generated again (`manual`); outside the
frame it is refused and the team can raise a revision proposal."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tillit.accounts.models import Role
from tillit.daylist import services
from tillit.daylist.models import FrameChange, RevisionProposal
from tillit.planning.models import Visit


@pytest.fixture
def carer(make_user):
    return make_user("pleier.sagene.1", Role.CARER, "sagene")


@pytest.fixture
def week(carer, make_client, make_decision, day_list):
    """Five 30-minute visits this week (150 min) under a 150-minute frame, 20 % tolerance."""
    person = make_client()
    decision = make_decision(person, weekly_minutes=150, tolerance=20)
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    visits = []
    for n in range(5):
        day = monday + dt.timedelta(days=n)
        (visit,) = day_list(carer, [person], day=day if day >= today else today,
                            decisions=[decision])
        visits.append(visit)
    return person, decision, visits


def test_more_time_within_the_frame(carer, week):
    _person, _decision, visits = week
    change = services.do_change_within_frame(carer, visits[-1], kind="more_time", minutes=55,
                                             reason="Brukeren ønsker dusj i tillegg")
    visit = Visit.objects.get(pk=visits[-1].pk)
    assert visit.minutes == 55 and visit.manual
    assert change.minutes_before == 30 and change.week_minutes_after == 175
    with pytest.raises(ValidationError) as refused:
        services.do_change_within_frame(carer, visits[-2], kind="more_time", minutes=40,
                                        reason="Mer tid")
    assert "Utenfor rammen" in str(refused.value)
    assert Visit.objects.get(pk=visits[-2].pk).minutes == 30
    assert FrameChange.objects.count() == 1


def test_moved_and_dropped_at_the_clients_wish(carer, week):
    _person, _decision, visits = week
    services.do_change_within_frame(carer, visits[-1], kind="moved",
                                    window=(dt.time(12), dt.time(13)), reason="Legetime")
    moved = Visit.objects.get(pk=visits[-1].pk)
    assert (moved.window_start, moved.window_end, moved.manual) == (dt.time(12), dt.time(13), True)
    services.do_change_within_frame(carer, visits[-2], kind="dropped", reason="Besøk av datter")
    assert Visit.objects.get(pk=visits[-2].pk).status == Visit.Status.CANCELLED
    with pytest.raises(ValidationError):  # 90 min left of 150 ± 20 %: outside
        services.do_change_within_frame(carer, visits[-3], kind="dropped", reason="Ferie")


def test_the_page_records_a_change_and_raises_a_proposal_outside(client, carer, week):
    person, decision, visits = week
    from tillit.planning.models import RosterEntry
    RosterEntry.objects.filter(employee=carer.employee).update(start="00:00", end="00:00")
    client.force_login(carer)
    url = f"/brukere/{person.pk}/innenfor-rammen/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"visit": visits[-1].pk, "kind": "more_time", "minutes": 120,
                                "reason": "Trenger mye mer"})
    assert refused.status_code == 200 and "Utenfor rammen" in refused.content.decode()
    assert not FrameChange.objects.exists()
    raised = client.post(url, {"form": "proposal", "decision": decision.pk,
                               "direction": "increase", "reason": "Trenger mye mer"})
    assert raised.status_code == 302
    proposal = RevisionProposal.objects.get()
    assert proposal.source == "team" and proposal.direction == "increase"
