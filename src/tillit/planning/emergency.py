"""The emergency list: a printable day list per team for when systems are down.

Every shift's current plan of the team on one day: per carer the visits in
order with the time window, the client's name, address and what the visit
is for, the second carer of a two-person visit, and the visits no one has.
Bokmål and Europe/Oslo whatever the browser says; the PDF is WeasyPrint's
rendering of the same HTML with the same stylesheet, fetching nothing over
the network.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tillit.organisation.models import Team
from tillit.planning import board as b
from tillit.planning.models import Plan, ShiftKind

CSS = "planning/emergency.css"
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


@dataclass
class ShiftList:
    shift: str
    label: str
    columns: list[b.Column]
    unassigned: list[tuple[Any, str]]


@dataclass
class EmergencyList:
    team: Team
    date: dt.date
    shifts: list[ShiftList] = field(default_factory=list)
    client_ids: list[int] = field(default_factory=list)
    printed_at: dt.datetime | None = None


def build(team: Team, day: dt.date, user: Any) -> EmergencyList:
    content = EmergencyList(team=team, date=day,
                            printed_at=timezone.now().astimezone(OSLO))
    order = {s: i for i, s in enumerate(ShiftKind.values)}
    plans = sorted(Plan.objects.filter(team=team, date=day, is_current=True,
                                       status=Plan.Status.DONE),
                   key=lambda p: order.get(p.shift, 9))
    clients: set[int] = set()
    with translation.override("nb"):
        for plan in plans:
            if not plan.plan:
                continue
            board = b.build_board(plan, user)
            clients.update(board.client_ids)
            content.shifts.append(ShiftList(
                shift=plan.shift, label=str(ShiftKind(plan.shift).label),
                columns=[c for c in board.columns if c.visit_count],
                unassigned=board.unassigned))
    content.client_ids = sorted(clients)
    return content


def _no_network(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the emergency list fetches nothing over the network: {url}")


def pdf_bytes(html: str) -> bytes:
    from weasyprint import CSS as WeasyCSS
    from weasyprint import HTML

    css_path = finders.find(CSS)
    stylesheets = [WeasyCSS(filename=css_path)] if css_path else []
    return HTML(string=html, url_fetcher=_no_network).write_pdf(stylesheets=stylesheets)


def respond(request: HttpRequest, content: EmergencyList, *, pdf: bool) -> HttpResponse:
    with translation.override("nb"), timezone.override(OSLO):
        html = render_to_string("planning/emergency.html",
                                {"list": content, "for_pdf": pdf}, request=request)
    if not pdf:
        return HttpResponse(html)
    response = HttpResponse(pdf_bytes(html), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="nodliste-{content.team.pk}-{content.date.isoformat()}.pdf"')
    return response
