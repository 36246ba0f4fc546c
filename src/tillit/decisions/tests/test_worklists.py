"""Work lists (issue #14, item 6): assigning a case to a named case
handler, "Mine saker", and the case lists' filters, sorting and pages on
the server; scoped, blocks obeyed, the rows shown logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as HttpClient

from tillit.access import services as access
from tillit.accounts.models import Role
from tillit.audit.models import AccessOperation, AccessRecord, What
from tillit.decisions import services
from tillit.decisions.models import Application, ServiceType

pytestmark = pytest.mark.django_db


def browser(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def apply(client, actor, *, days_ago: int = 3, code: str = "home-nursing") -> Application:
    return services.do_register_application(
        client=client, service_type=ServiceType.objects.get(code=code), source="client",
        received_at=services.now() - dt.timedelta(days=days_ago), actor=actor)


@pytest.fixture
def office(make_user, make_client, saksbehandler_sagene):
    other = make_user("ola.sagene", Role.CASE_HANDLER, "sagene")
    alna_handler = make_user("siri.alna", Role.CASE_HANDLER, "alna")
    sagene_client = make_client("sagene")
    return {"other": other, "alna_handler": alna_handler, "client": sagene_client,
            "application": apply(sagene_client, saksbehandler_sagene)}


def test_assigning_is_logged_in_the_history_and_checks_the_handler(
    office, saksbehandler_sagene, leder_sagene
) -> None:
    application, other = office["application"], office["other"]
    services.do_assign_case(application, handler=other, actor=leder_sagene)
    application.refresh_from_db()
    assert application.handler == other
    last = application.events.order_by("-version").first()
    assert last.actor == leder_sagene and "Ola" in last.note
    # A handler of another district does not handle this client.
    with pytest.raises(ValidationError) as refused:
        services.do_assign_case(application, handler=office["alna_handler"],
                                actor=saksbehandler_sagene)
    assert "handler" in refused.value.message_dict
    # Unassigning is logged too; a second identical call writes nothing.
    services.do_assign_case(application, handler=None, actor=saksbehandler_sagene)
    count = application.events.count()
    services.do_assign_case(application, handler=None, actor=saksbehandler_sagene)
    assert application.events.count() == count


def test_who_may_assign(office, make_user, make_client, saksbehandler_sagene,
                        planlegger_sagene) -> None:
    application = office["application"]
    with pytest.raises(PermissionDenied):
        services.do_assign_case(application, handler=None, actor=planlegger_sagene)
    alna_manager = make_user("leder.alna", Role.DISTRICT_MANAGER, "alna")
    from django.http import Http404

    with pytest.raises(Http404):  # another district's case: as if missing
        services.do_assign_case(application, handler=saksbehandler_sagene, actor=alna_manager)
    http = browser(alna_manager)
    response = http.post(f"/saksbehandling/soknader/{application.pk}/tildel/",
                         {"handler": saksbehandler_sagene.pk})
    assert response.status_code == 404
    assert browser(planlegger_sagene).post(
        f"/saksbehandling/soknader/{application.pk}/tildel/").status_code == 403
    closed = apply(office["client"], saksbehandler_sagene, code="practical-assistance")
    services.do_withdraw_application(closed, actor=saksbehandler_sagene, note="Trukket",
                                     confirmed=True)
    with pytest.raises(ValidationError):
        services.do_assign_case(closed, handler=saksbehandler_sagene, actor=saksbehandler_sagene)


def test_mine_saker_lists_my_open_cases_and_reassessments(
    office, saksbehandler_sagene, leder_sagene
) -> None:
    from tillit.decisions.tests.cases import build_case

    application, other = office["application"], office["other"]
    objects = build_case(office["client"], saksbehandler_sagene)
    http = browser(saksbehandler_sagene)
    http.post(f"/saksbehandling/soknader/{application.pk}/tildel/",
              {"handler": saksbehandler_sagene.pk})
    http.post(f"/saksbehandling/revurderinger/{objects['reassessment'].pk}/tildel/",
              {"handler": saksbehandler_sagene.pk})
    mine = http.get("/saksbehandling/mine/").content.decode()
    assert f"/saksbehandling/soknader/{application.pk}/" in mine
    assert f"/saksbehandling/revurderinger/{objects['reassessment'].pk}/" in mine
    theirs = browser(other).get("/saksbehandling/mine/").content.decode()
    assert f"/saksbehandling/soknader/{application.pk}/" not in theirs
    # The district manager reassigns from the application page.
    page = browser(leder_sagene).get(f"/saksbehandling/soknader/{application.pk}/")
    assert 'name="handler"' in page.content.decode()
    browser(leder_sagene).post(f"/saksbehandling/soknader/{application.pk}/tildel/",
                               {"handler": other.pk})
    assert f"/saksbehandling/soknader/{application.pk}/" in browser(other).get(
        "/saksbehandling/mine/").content.decode()


def test_filters_sorting_and_pages(office, make_client, saksbehandler_sagene,
                                   monkeypatch) -> None:
    early = make_client("sagene", family_name="Aaberg")
    late = make_client("sagene", family_name="Zahl")
    old = apply(early, saksbehandler_sagene, days_ago=40)  # past the one-month deadline
    apply(late, saksbehandler_sagene, days_ago=1, code="practical-assistance")
    make_client("alna", family_name="Alnabo")
    http = browser(saksbehandler_sagene)

    page = http.get("/saksbehandling/").content.decode()
    assert "Aaberg" in page and "Zahl" in page and "Alnabo" not in page
    by_name = http.get("/saksbehandling/", {"sortering": "client"}).content.decode()
    assert by_name.index("Aaberg") < by_name.index("Zahl")
    by_name_desc = http.get("/saksbehandling/", {"sortering": "-client"}).content.decode()
    assert by_name_desc.index("Zahl") < by_name_desc.index("Aaberg")
    assert 'aria-sort="descending"' in by_name_desc

    overdue = http.get("/saksbehandling/", {"deadline": "overdue"}).content.decode()
    assert f"/saksbehandling/soknader/{old.pk}/" in overdue and "Zahl" not in overdue
    nursing = ServiceType.objects.get(code="home-nursing")
    only = http.get("/saksbehandling/", {"service": nursing.pk}).content.decode()
    assert "Aaberg" in only and "Zahl" not in only
    services.do_withdraw_application(old, actor=saksbehandler_sagene, note="Trukket",
                                     confirmed=True)
    assert "Aaberg" not in http.get("/saksbehandling/").content.decode()  # open by default
    withdrawn = http.get("/saksbehandling/", {"status": "withdrawn"}).content.decode()
    assert "Aaberg" in withdrawn and "Zahl" not in withdrawn
    everything = http.get("/saksbehandling/", {"status": ""}).content.decode()
    assert "Aaberg" in everything and "Zahl" in everything

    # Pages: only the rows shown are logged.
    from tillit.decisions import worklists

    monkeypatch.setattr(worklists, "PER_PAGE", 1)
    before = AccessRecord.objects.count()
    first = http.get("/saksbehandling/", {"sortering": "client"}).content.decode()
    assert 'rel="next"' in first and 'aria-current="page"' in first
    second = http.get("/saksbehandling/", {"sortering": "client", "side": 2}).content.decode()
    assert "Aaberg" not in first or "Zahl" not in first
    assert ("Zahl" in first) != ("Zahl" in second)
    logged = AccessRecord.objects.count() - before
    assert logged == 2  # one client per page, two pages (no reassessments open)


def test_blocked_cases_do_not_appear_to_the_blocked_user(
    office, saksbehandler_sagene, leder_sagene
) -> None:
    application = office["application"]
    access.do_block(by=leder_sagene, client=office["client"], user=saksbehandler_sagene,
                    item=application)
    page = browser(saksbehandler_sagene).get("/saksbehandling/", {"status": ""})
    assert f"/saksbehandling/soknader/{application.pk}/" not in page.content.decode()
    assert f"/saksbehandling/soknader/{application.pk}/" in browser(office["other"]).get(
        "/saksbehandling/").content.decode()


def test_client_list_filters_sorts_and_logs_the_page(saksbehandler, make_client) -> None:
    make_client("sagene", family_name="Berg")
    make_client("alna", family_name="Ask")
    http = browser(saksbehandler)
    from tillit.organisation.models import District

    alna = District.objects.get(slug="alna")
    page = http.get("/brukere/", {"district": alna.pk}).content.decode()
    assert "Ask" in page and "Berg" not in page
    desc = http.get("/brukere/", {"sortering": "-name"}).content.decode()
    assert desc.index("Berg") < desc.index("Ask")
    assert AccessOperation.objects.filter(what=What.LIST, actor=saksbehandler).count() == 2


def test_task_codes_are_checked_against_the_catalogue_and_shown_as_names(
    office, saksbehandler_sagene
) -> None:
    from tillit.decisions.tests.conftest import visit

    person = office["client"]
    common = dict(client=person, service_type=ServiceType.objects.get(code="home-nursing"),
                  care_block="light", provider=person.provider,
                  valid_from=services.today() + dt.timedelta(days=1),
                  actor=saksbehandler_sagene, justification="Behov for stell.")
    with pytest.raises(ValidationError) as refused:
        services.do_decide(**common, visits=[visit(task_codes=["personlig_hygiene", "x9"])])
    assert "x9" in refused.value.message_dict["visits.0.task_codes"][0]
    decision = services.do_decide(**common, visits=[visit(task_codes=["personlig_hygiene"])])
    page = browser(saksbehandler_sagene).get(f"/saksbehandling/vedtak/{decision.pk}/")
    text = page.content.decode()
    name = services.task_names()["personlig_hygiene"]
    assert name in text and "personlig_hygiene" not in text


def test_the_deadline_list_sorts_pages_and_logs_the_page(make_client, saksbehandler_sagene,
                                                        monkeypatch) -> None:
    from tillit.decisions import worklists

    for name, days in [("Berg", 40), ("Aas", 20)]:
        apply(make_client("sagene", family_name=name), saksbehandler_sagene, days_ago=days)
    http = browser(saksbehandler_sagene)
    worst_first = http.get("/saksbehandling/frister/").content.decode()
    assert worst_first.index("Berg, ") < worst_first.index("Aas, ")  # overdue before due soon
    by_name = http.get("/saksbehandling/frister/", {"sortering": "client"}).content.decode()
    assert by_name.index("Aas, ") < by_name.index("Berg, ")
    monkeypatch.setattr(worklists, "PER_PAGE", 1)
    before = AccessRecord.objects.count()
    page = http.get("/saksbehandling/frister/", {"side": 2}).content.decode()
    assert "Aas, " in page and "Berg, " not in page
    assert AccessRecord.objects.count() == before + 1
