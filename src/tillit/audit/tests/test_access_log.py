"""The read audit: every read is logged, the client's access log shows it,
the log is append-only and tampering is detected."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client as HttpClient

from tillit.audit.models import AccessOperation, AccessRecord, AppendOnlyError, Interface, What
from tillit.audit.services import record_access, verify_chain

pytestmark = pytest.mark.django_db


def browser(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_planner_read_shows_in_the_case_handlers_access_log(
    planlegger_sagene, saksbehandler, make_client
) -> None:
    client = make_client("sagene")
    assert browser(planlegger_sagene).get(f"/brukere/{client.pk}/").status_code == 200
    response = browser(saksbehandler).get(f"/api/v1/clients/{client.pk}/access-log")
    assert response.status_code == 200
    items = response.json()["items"]
    assert items[0]["who"] == "planlegger.sagene"
    assert items[0]["role"] == "planner"
    assert items[0]["what"] == "record" and items[0]["interface"] == "page"
    # Reading the log is itself logged.
    assert AccessOperation.objects.filter(actor=saksbehandler, what=What.ACCESS_LOG).exists()


def test_lists_api_reads_and_exports_are_logged(leder_sagene, make_client) -> None:
    clients = [make_client("sagene") for _ in range(3)]
    make_client("alna")
    http = browser(leder_sagene)
    http.get("/brukere/")
    listed = AccessOperation.objects.get(what=What.LIST, interface=Interface.PAGE)
    assert listed.client_count == 3
    assert set(AccessRecord.objects.filter(operation=listed).values_list("client_id", flat=True)) \
        == {c.pk for c in clients}
    http.get("/api/v1/clients?district=sagene&limit=2")
    assert AccessOperation.objects.get(what=What.LIST, interface=Interface.API).client_count == 2
    http.get(f"/api/v1/clients/{clients[0].pk}")
    assert AccessOperation.objects.filter(what=What.RECORD, interface=Interface.API).exists()
    export = http.get(f"/brukere/{clients[0].pk}/innsyn.csv")
    assert export["Content-Type"].startswith("text/csv")
    lines = export.content.decode().splitlines()
    assert lines[0].startswith("server_time,device_time,username")
    assert any("leder.sagene" in line for line in lines[1:])
    assert AccessOperation.objects.filter(what=What.EXPORT, interface=Interface.EXPORT).exists()
    page = http.get(f"/brukere/{clients[0].pk}/innsyn/")
    assert page.status_code == 200
    assert leder_sagene.get_full_name() in page.content.decode()


def test_access_log_is_only_for_the_clients_handlers(
    planlegger_sagene, leder_sagene, saksbehandler_sagene, pleier_alna_1, analytiker, make_client
) -> None:
    client = make_client("sagene")
    alna = make_client("alna")
    assert browser(leder_sagene).get(f"/brukere/{client.pk}/innsyn/").status_code == 200
    assert browser(saksbehandler_sagene).get(f"/api/v1/clients/{client.pk}/access-log") \
        .status_code == 200
    assert browser(leder_sagene).get(f"/api/v1/clients/{alna.pk}/access-log").status_code == 404
    assert browser(planlegger_sagene).get(f"/brukere/{client.pk}/innsyn/").status_code == 403
    assert browser(analytiker).get(f"/api/v1/clients/{client.pk}/access-log").status_code == 403


def test_no_secrets_and_device_time(leder_sagene, make_client, rf) -> None:
    client = make_client("sagene")
    request = rf.get(f"/brukere/{client.pk}/?token=tillit_secret",
                     HTTP_AUTHORIZATION="Bearer tillit_secret")
    device = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
    op = record_access(actor=leder_sagene, clients=[client], what=What.RECORD,
                       interface=Interface.PAGE, request=request, device_time=device)
    assert op.device_time == device and op.server_time is not None
    stored = " ".join(str(v) for v in AccessOperation.objects.values().get(pk=op.pk).values())
    assert "tillit_secret" not in stored and "sessionid" not in stored
    assert op.path == f"/brukere/{client.pk}/"


def test_append_only(leder_sagene, make_client) -> None:
    client = make_client("sagene")
    op = record_access(actor=leder_sagene, clients=[client], what=What.RECORD,
                       interface=Interface.PAGE)
    op.what = What.LIST
    with pytest.raises(AppendOnlyError):
        op.save()
    with pytest.raises(AppendOnlyError):
        op.delete()
    with pytest.raises(AppendOnlyError):
        AccessOperation.objects.filter(pk=op.pk).update(what=What.LIST)
    with pytest.raises(AppendOnlyError):
        AccessOperation.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AccessRecord.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AccessRecord.objects.get().delete()


def _chain(user, clients) -> list[AccessOperation]:
    return [
        record_access(actor=user, clients=clients[: i + 1], what=What.LIST,
                      interface=Interface.API)
        for i in range(len(clients))
    ]


def test_chain_verifies_and_links(leder_sagene, make_client) -> None:
    clients = [make_client("sagene") for _ in range(3)]
    ops = _chain(leder_sagene, clients)
    assert ops[1].previous_hash == ops[0].content_hash
    result = verify_chain()
    assert result.ok and result.checked == 3


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_accessoperation SET actor_username = 'someone' WHERE id = {op}",
        "UPDATE audit_accessrecord SET client_id = {other} WHERE operation_id = {op}",
        "DELETE FROM audit_accessrecord WHERE operation_id = {op}",
        "DELETE FROM audit_accessoperation WHERE id = {last}",
    ],
)
def test_tampering_by_raw_sql_is_detected(leder_sagene, make_client, sql) -> None:
    clients = [make_client("sagene") for _ in range(3)]
    other = make_client("sagene")
    ops = _chain(leder_sagene, clients)
    assert verify_chain().ok
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # a superuser who switches the guards off
            cursor.execute("SET session_replication_role = replica")
        if "DELETE FROM audit_accessoperation" in sql:
            cursor.execute(f"DELETE FROM audit_accessrecord WHERE operation_id = {ops[-1].pk}")
        cursor.execute(sql.format(op=ops[1].pk, other=other.pk, last=ops[-1].pk))
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
    result = verify_chain()
    assert not result.ok
    if "{last}" not in sql:
        assert result.first_bad_id == ops[1].pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database triggers on PostgreSQL")
def test_postgresql_refuses_raw_updates(leder_sagene, make_client) -> None:
    from django.db import DatabaseError, transaction

    op = record_access(actor=leder_sagene, clients=[make_client("sagene")], what=What.RECORD,
                       interface=Interface.PAGE)
    for sql in (f"UPDATE audit_accessoperation SET what = 'list' WHERE id = {op.pk}",
                f"DELETE FROM audit_accessrecord WHERE operation_id = {op.pk}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert verify_chain().ok


def test_device_time_from_the_request_header(leder_sagene, make_client) -> None:
    client = make_client("sagene")
    http = browser(leder_sagene)
    http.get(f"/api/v1/clients/{client.pk}", HTTP_X_DEVICE_TIME="2026-11-23T07:59:00+01:00")
    op = AccessOperation.objects.get(what=What.RECORD)
    assert op.device_time == dt.datetime(2026, 11, 23, 6, 59, tzinfo=dt.UTC)
    # The API refuses an unreadable device time (400); a page ignores it.
    response = http.get(f"/api/v1/clients/{client.pk}", HTTP_X_DEVICE_TIME="yesterday")
    assert response.status_code == 400 and "X-Device-Time" in response.json()["errors"]
    http.get(f"/brukere/{client.pk}/", HTTP_X_DEVICE_TIME="yesterday")
    assert AccessOperation.objects.filter(what=What.RECORD).latest("id").device_time is None


def test_verify_command(leder_sagene, make_client, capsys) -> None:
    from django.core.management import call_command

    record_access(actor=leder_sagene, clients=[make_client("sagene")], what=What.RECORD,
                  interface=Interface.PAGE)
    call_command("verify_access_log")
    assert "1 operations checked" in capsys.readouterr().out
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute("UPDATE audit_accessoperation SET what = 'list'")
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_access_log")
    assert exit_.value.code == 1


def test_auditor_export_for_the_district(leder_sagene, planlegger_sagene, make_client) -> None:
    sagene = make_client("sagene")
    alna = make_client("alna")
    browser(planlegger_sagene).get(f"/brukere/{sagene.pk}/")
    record_access(actor=planlegger_sagene, clients=[alna], what=What.RECORD,
                  interface=Interface.API)
    response = browser(leder_sagene).get("/tilgangslogg/eksport.csv")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].endswith(",client")
    assert any(line.endswith(f",{sagene.pk}") and "planlegger.sagene" in line for line in lines)
    assert not any(line.endswith(f",{alna.pk}") for line in lines[1:])
    export = AccessOperation.objects.get(what=What.EXPORT, actor=leder_sagene)
    assert set(export.records.values_list("client_id", flat=True)) == {sagene.pk}
    assert browser(leder_sagene).get("/tilgangslogg/eksport.csv?fra=igår").status_code == 400
    assert browser(planlegger_sagene).get("/tilgangslogg/eksport.csv").status_code == 403


def test_exports_neutralise_formulas_in_usernames_too(leder_sagene, make_client) -> None:
    """Issue #10, finding 9."""
    import csv
    import io

    from tillit.accounts.models import Role

    client = make_client("sagene")
    from tillit.accounts.models import User

    sly = User.objects.create_user("=HYPERLINK(1)", role=Role.DISTRICT_MANAGER,
                                   district=leder_sagene.district, first_name="+Sum",
                                   last_name="@Cmd")
    record_access(actor=sly, clients=[client], what=What.RECORD, interface=Interface.PAGE)
    http = browser(leder_sagene)
    for url in (f"/brukere/{client.pk}/innsyn.csv", "/tilgangslogg/eksport.csv"):
        response = http.get(url)
        content = b"".join(response.streaming_content) if response.streaming \
            else response.content
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        cells = [cell for row in rows[1:] for cell in row]
        assert "'=HYPERLINK(1)" in cells, (url, rows)
        assert not any(cell[:1] in {"=", "+", "-", "@"} for cell in cells
                       if not cell[:1].isdigit()), (url, rows)
