"""The purchaser office's lists of cases as tables: filters (district,
service, status, deadline, case handler), sorting and pagination on the
server (django-filter and django-tables2, no JavaScript).

Rows come from `visible_to(user)` querysets only; `show_page` logs the
clients on the page shown (`reads.log_listed`), as every list does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import django_filters
import django_tables2 as tables
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tillit.audit.models import Interface
from tillit.core import deadlines
from tillit.decisions import reads, services
from tillit.decisions.models import Application, Reassessment, ServiceType
from tillit.organisation.models import District

PER_PAGE = 25
OPEN = "open"
MINE, UNASSIGNED = "mine", "none"
DEADLINE_STATES = [
    (deadlines.OVERDUE, _("past the deadline")),
    (deadlines.WARNING, _("deadline close")),
    (deadlines.PENDING, _("on time")),
]


def state_badge(state: str) -> str:
    """A deadline state as the case pages show it."""
    return render_to_string("decisions/_state.html", {"state": state})


def person_name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


class TableMeta:
    template_name = "web/table.html"
    attrs = {"class": "dec-table pkt-table"}
    order_by_field = "sortering"
    page_field = "side"
    per_page_field = "per_side"


# -- filters ---------------------------------------------------------------------

def own_district(filterset: django_filters.FilterSet) -> None:
    """A district's user is offered only the own district."""
    user = getattr(filterset.request, "user", None)
    district_id = getattr(user, "district_id", None)
    if district_id is not None:
        field = filterset.form.fields["district"]
        field.queryset = field.queryset.filter(pk=district_id)


class ApplicationFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        label=_("District"), field_name="client__district",
        queryset=District.objects.order_by("number"), empty_label=_("All districts"))
    service = django_filters.ModelChoiceFilter(
        label=_("Service"), field_name="service_type", queryset=ServiceType.objects.all(),
        empty_label=_("All services"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), method="filter_status", empty_label=_("All statuses"),
        choices=[(OPEN, _("open (received or assessed)")), *Application.Status.choices])
    deadline = django_filters.ChoiceFilter(
        label=_("Deadline"), method="filter_deadline", empty_label=_("All deadlines"),
        choices=DEADLINE_STATES)
    handler = django_filters.ChoiceFilter(
        label=_("Case handler"), method="filter_handler", empty_label=_("Everyone's"),
        choices=[(MINE, _("mine")), (UNASSIGNED, _("not assigned"))])

    class Meta:
        model = Application
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own_district(self)

    def filter_status(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        if value == OPEN:
            return queryset.filter(status__in=[Application.Status.RECEIVED,
                                               Application.Status.ASSESSED])
        return queryset.filter(status=value)

    def filter_deadline(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        """Deadlines are computed (forvaltningsloven § 11 a and the city's
        target), so the open cases are checked one by one."""
        open_cases = Application.objects.filter(
            pk__in=queryset.values("pk"),
            status__in=[Application.Status.RECEIVED, Application.Status.ASSESSED],
        ).select_related("service_type").only(
            "pk", "received_at", "decided_at", "interim_sent_on", "service_type__target_days")
        keep = [a.pk for a, ct in services.with_case_times(open_cases) if ct.worst == value]
        return queryset.filter(pk__in=keep)

    def filter_handler(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        if value == MINE:
            return queryset.filter(handler=self.request.user)
        return queryset.filter(handler__isnull=True)


class ReassessmentFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        label=_("District"), field_name="decision__client__district",
        queryset=District.objects.order_by("number"), empty_label=_("All districts"))
    service = django_filters.ModelChoiceFilter(
        label=_("Service"), field_name="decision__service_type",
        queryset=ServiceType.objects.all(), empty_label=_("All services"))
    source = django_filters.ChoiceFilter(
        label=_("Reason for reassessment"), empty_label=_("All reasons"),
        choices=Reassessment.Source.choices)
    handler = django_filters.ChoiceFilter(
        label=_("Case handler"), method="filter_handler", empty_label=_("Everyone's"),
        choices=[(MINE, _("mine")), (UNASSIGNED, _("not assigned"))])

    class Meta:
        model = Reassessment
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own_district(self)

    def filter_handler(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        if value == MINE:
            return queryset.filter(handler=self.request.user)
        return queryset.filter(handler__isnull=True)


# -- tables ----------------------------------------------------------------------

class ApplicationTable(tables.Table):
    client = tables.Column(
        verbose_name=_("Client"), accessor="client",
        order_by=("client__family_name", "client__given_name"))
    district = tables.Column(verbose_name=_("District"), accessor="client__district__name",
                             order_by=("client__district__number",))
    service = tables.Column(verbose_name=_("Service"), accessor="service_type__name",
                            order_by=("service_type__order", "service_type__name"))
    received_at = tables.DateColumn(verbose_name=_("Received"), format="j.n.Y")
    status = tables.Column(verbose_name=_("Status"))
    deadline = tables.Column(verbose_name=_("Deadline"), accessor="pk", orderable=False)
    handler = tables.Column(verbose_name=_("Case handler"), accessor="handler",
                            order_by=("handler__last_name", "handler__first_name"),
                            default="–")

    class Meta(TableMeta):
        empty_text = _("No applications match.")

    def render_client(self, record: Application) -> str:
        urgent = format_html(" <strong>({})</strong>", _("urgent")) if (
            record.urgency == Application.Urgency.URGENT) else ""
        return format_html('<a href="{}">{}, {}</a>{}',
                           reverse("decisions:application", args=[record.pk]),
                           record.client.family_name, record.client.given_name, urgent)

    def render_deadline(self, record: Application) -> str:
        return state_badge(services.case_time(record).worst)

    def render_handler(self, value: Any) -> str:
        return person_name(value)


class ReassessmentTable(tables.Table):
    client = tables.Column(
        verbose_name=_("Client"), accessor="decision__client",
        order_by=("decision__client__family_name", "decision__client__given_name"))
    district = tables.Column(verbose_name=_("District"),
                             accessor="decision__client__district__name",
                             order_by=("decision__client__district__number",))
    service = tables.Column(verbose_name=_("Service"), accessor="decision__service_type__name")
    source = tables.Column(verbose_name=_("Reason"))
    opened_at = tables.DateColumn(verbose_name=_("Opened"), format="j.n.Y")
    handler = tables.Column(verbose_name=_("Case handler"), accessor="handler",
                            order_by=("handler__last_name", "handler__first_name"),
                            default="–")

    class Meta(TableMeta):
        empty_text = _("No open reassessments match.")

    def render_client(self, record: Reassessment) -> str:
        client = record.decision.client
        return format_html('<a href="{}">{}, {}</a>',
                           reverse("decisions:reassessment", args=[record.pk]),
                           client.family_name, client.given_name)

    def render_handler(self, value: Any) -> str:
        return person_name(value)


def with_defaults(params: QueryDict, **defaults: str) -> QueryDict:
    """The query with defaults for filters the user has not touched (a
    submitted empty choice stays "all")."""
    data = params.copy()
    for key, value in defaults.items():
        if key not in data:
            data[key] = value
    return data


def show_page(request: HttpRequest, table: tables.Table,
              client_of: Callable[[Any], int], *, per_page: int | None = None) -> tables.Table:
    """Sort and paginate `table` from the request and log the clients on
    the page shown (the rest of the list is not shown, so not read)."""
    tables.RequestConfig(request, paginate={"per_page": per_page or PER_PAGE}).configure(table)
    reads.log_listed(request.user, [client_of(row.record) for row in table.page.object_list],
                     interface=Interface.PAGE, request=request)
    return table


def application_rows(user: Any, queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.filter(pk__in=Application.objects.visible_to(user).values("pk")).select_related(
        "client", "client__district", "service_type", "handler")


def open_reassessment_rows(user: Any) -> QuerySet[Reassessment]:
    return Reassessment.objects.visible_to(user).filter(closed_at__isnull=True).select_related(
        "decision__client", "decision__client__district", "decision__service_type", "handler")


class OverdueTable(tables.Table):
    """Open cases past or close to a deadline: rows are dicts built from the
    computed case times, so every column sorts (in Python)."""

    client = tables.Column(verbose_name=_("Client"), order_by=("client_sort",))
    district = tables.Column(verbose_name=_("District"))
    service = tables.Column(verbose_name=_("Service"))
    received_at = tables.DateColumn(verbose_name=_("Received"), format="j.n.Y")
    elapsed = tables.Column(verbose_name=_("Days open"))
    interim = tables.Column(verbose_name=_("Interim reply"), order_by=("interim_due",))
    target = tables.Column(verbose_name=_("The city's target"), order_by=("target_sort",))

    class Meta(TableMeta):
        empty_text = _("No case is overdue or due soon.")

    def render_client(self, record: dict[str, Any]) -> str:
        return format_html('<a href="{}">{}</a>',
                           reverse("decisions:application", args=[record["pk"]]),
                           record["client"])

    def render_interim(self, record: dict[str, Any]) -> str:
        return format_html("{} {}", state_badge(record["interim_state"]),
                           dmy(record['interim_due']))

    def render_target(self, record: dict[str, Any]) -> str:
        if not record["target_state"]:
            return "–"
        return format_html("{} {}", state_badge(record["target_state"]),
                           dmy(record['target_due']))


def dmy(day: dt.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def overdue_rows(rows: list[tuple[Application, Any]]) -> list[dict[str, Any]]:
    out = []
    for a, ct in rows:
        out.append({
            "pk": a.pk, "client_id": a.client_id,
            "client": f"{a.client.family_name}, {a.client.given_name}",
            "client_sort": (a.client.family_name, a.client.given_name, a.pk),
            "district": a.client.district.name, "service": a.service_type.name,
            "received_at": a.received_at, "elapsed": ct.elapsed_days,
            "interim": ct.interim.due, "interim_state": ct.interim.state,
            "interim_due": ct.interim.due,
            "target": ct.target.due if ct.target else None,
            "target_state": ct.target.state if ct.target else "",
            "target_due": ct.target.due if ct.target else None,
            "target_sort": ct.target.due if ct.target else dt.date.max,
        })
    return out
