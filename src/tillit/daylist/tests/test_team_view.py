"""The team leader's view of today's shift: progress per carer and the visits
nobody has reported once their window has passed."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from tillit.accounts.models import Role
from tillit.daylist import services


@pytest.fixture
def carer(make_user):
    return make_user("pleier.sagene.1", Role.CARER, "sagene")


def test_progress_and_unreported(client, carer, make_client, day_list, planlegger_sagene,
                                 pleier_alna_1):
    done, not_done, open_visit = make_client(), make_client(), make_client()
    visits = day_list(carer, [done, not_done, open_visit])
    services.do_report_visit(carer, visits[0].pk, report_id=uuid.uuid4(), done=True,
                             time_fit="less")
    services.do_report_visit(carer, visits[1].pk, report_id=uuid.uuid4(), done=False,
                             reason="declined")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    client.force_login(planlegger_sagene)
    page = client.get("/dagliste/team/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Utført: 1" in html and "Ikke utført: 1" in html and "Ikke rapportert ennå: 1" in html
    assert "hx-get=\"/dagliste/team/framdrift/\"" in html
    assert "takket nei til hjelpen" in html
    partial = client.get("/dagliste/team/framdrift/")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    # A visit of a past day nobody reported is listed as unreported.
    (late,) = day_list(carer, [make_client(given_name="Sigrid")], day=yesterday)
    from tillit.planning.models import Plan
    Plan.objects.filter(date=yesterday).update(date=timezone.localdate(), is_current=False)
    assert late.client.full_name not in client.get("/dagliste/team/").content.decode()
    client.force_login(pleier_alna_1)
    assert client.get("/dagliste/team/").status_code == 403


def test_unreported_after_the_window(client, carer, make_client, day_list, planlegger_sagene):
    first = make_client(given_name="Solveig")
    (visit,) = day_list(carer, [first], start_hour=0)
    from tillit.planning.models import Visit
    Visit.objects.filter(pk=visit.pk).update(window_start=dt.time(0), window_end=dt.time(0, 1))
    client.force_login(planlegger_sagene)
    html = client.get("/dagliste/team/").content.decode()
    section = html.split("Besøk ingen har rapportert")[1].split("Per pleier")[0]
    if timezone.localtime().time() > dt.time(0, 1):
        assert first.full_name in section
