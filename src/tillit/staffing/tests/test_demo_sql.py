"""The district page of the demo city agrees with the decisions, rosters,
care situations and responsible nurses in the database, recomputed here in
plain SQL (SQLite's dialect, the test database)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client as HttpClient

from tillit.accounts.models import User
from tillit.organisation.models import District, Employee
from tillit.planning.models import RosterEntry

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 25)  # a Wednesday
MONDAY = dt.date(2026, 11, 23)
SUNDAY = dt.date(2026, 11, 29)

MINUTES = """
SELECT dv.competence, SUM(dv.minutes * json_array_length(dv.weekdays) * dv.staff_count)
FROM decisions_decisionvisit dv
JOIN decisions_decision d ON d.id = dv.decision_id
JOIN clients_client c ON c.id = d.client_id
WHERE c.district_id = %s AND d.status = 'active' AND d.valid_from <= %s
  AND (d.valid_to IS NULL OR d.valid_to >= %s)
GROUP BY dv.competence
"""
ROSTER_SECONDS = """
SELECT e.competence, SUM(CASE
    WHEN strftime('%%s', r."end") - strftime('%%s', r.start) <= 0
    THEN strftime('%%s', r."end") - strftime('%%s', r.start) + 86400
    ELSE strftime('%%s', r."end") - strftime('%%s', r.start) END)
FROM planning_rosterentry r
JOIN organisation_employee e ON e.id = r.employee_id
JOIN organisation_team t ON t.id = r.team_id
WHERE t.district_id = %s AND r.date BETWEEN %s AND %s
GROUP BY e.competence
"""
SERVED = """
WITH served AS (
  SELECT DISTINCT d.client_id FROM decisions_decision d
  JOIN clients_client c ON c.id = d.client_id
  WHERE c.district_id = %s AND d.status = 'active' AND d.valid_from <= %s
    AND (d.valid_to IS NULL OR d.valid_to >= %s)
), sit AS (
  SELECT s.client_id, s.situation FROM staffing_caresituation s
  WHERE s.id = (SELECT s2.id FROM staffing_caresituation s2 WHERE s2.client_id = s.client_id
                ORDER BY s2.set_at DESC, s2.id DESC LIMIT 1)
), resp AS (
  SELECT r.client_id, r.employee_id, e.competence FROM staffing_responsiblenurse r
  JOIN organisation_employee e ON e.id = r.employee_id WHERE r.ended_at IS NULL
)
SELECT
  (SELECT COUNT(*) FROM served),
  (SELECT COUNT(*) FROM served
     LEFT JOIN resp ON resp.client_id = served.client_id
     LEFT JOIN sit ON sit.client_id = served.client_id
     WHERE resp.client_id IS NULL
        OR (resp.competence <> 'nurse' AND COALESCE(sit.situation, '') <> 'stable')),
  (SELECT COUNT(*) FROM (
     SELECT resp.employee_id FROM served JOIN resp ON resp.client_id = served.client_id
     WHERE resp.competence = 'nurse' GROUP BY resp.employee_id HAVING COUNT(*) > %s) AS over_norm)
"""


def sql(query: str, params: list) -> list[tuple]:
    if connection.vendor == "postgresql":  # JSONField is jsonb there
        query = query.replace("json_array_length(", "jsonb_array_length(")
        for column in ('r."end"', "r.start"):  # seconds of a time of day
            query = query.replace(f"strftime('%%s', {column})",
                                  f"CAST(EXTRACT(EPOCH FROM {column}) AS integer)")
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def test_district_page_matches_plain_sql(demo_city, django_user_model) -> None:
    sagene = District.objects.get(slug="sagene")
    if not RosterEntry.objects.filter(team__district=sagene, date__range=(MONDAY, SUNDAY)).exists():
        # The demo's own rosters come from planning; give the week a roster here.
        for emp in Employee.objects.filter(team__district=sagene).exclude(competence=""):
            for i in range(5):
                RosterEntry.objects.create(employee=emp, team=emp.team, shift="day",
                                           date=MONDAY + dt.timedelta(days=i),
                                           start=dt.time(7, 30), end=dt.time(15))
    leader = User.objects.get(username="leder.sagene")
    http = HttpClient()
    http.force_login(leader)
    norm = 3  # a low norm, so some nurses are over it
    response = http.get(f"/bemanning/bydel/sagene/?date={TODAY}&norm={norm}")
    assert response.status_code == 200
    context = response.context

    day = TODAY.isoformat()
    minutes = dict(sql(MINUTES, [sagene.pk, day, day]))
    seconds = dict(sql(ROSTER_SECONDS, [sagene.pk, MONDAY.isoformat(), SUNDAY.isoformat()]))
    served, lacking, over = sql(SERVED, [sagene.pk, day, day, norm])[0]
    assert sum(minutes.values()) > 0 and served > 0 and over > 0

    p = context["params"]
    for row in context["rows"]:
        c = row["competence"]
        assert row["weekly_direct_minutes"] == minutes.get(c, 0)
        expected = minutes.get(c, 0) / 60 / (p.direct_care_share * p.fte_hours_per_week) * (
            1 + p.absence_buffer)
        assert row["needed_fte"] == pytest.approx(expected, abs=1e-9)
        assert row["rostered_fte"] == pytest.approx(seconds.get(c, 0) / 3600 / 37.5, abs=1e-9)
    assert (context["clients"], context["without_responsible"], context["over_norm"]) == (
        served, lacking, over)
    html = response.content.decode()
    total = sum(minutes.values()) / 60 / (0.53 * 37.5) * 1.1
    assert f"{total:.1f}".replace(".", ",") in html
    # the unassigned clients are listed by name, and that read is logged
    assert len(context["lacking"]) == lacking
