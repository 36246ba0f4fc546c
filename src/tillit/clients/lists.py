"""The client list as a table: filter by district and team, sort and
paginate on the server (django-filter and django-tables2, no JavaScript)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tillit.clients.models import Client
from tillit.organisation.models import District, Team


class ClientFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=District.objects.order_by("number"),
        empty_label=_("All districts"))
    team = django_filters.ModelChoiceFilter(
        label=_("Team"), queryset=Team.objects.select_related("district").order_by(
            "district__number", "name"), empty_label=_("All teams"))

    class Meta:
        model = Client
        fields: list[str] = []

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        district_id = getattr(getattr(self.request, "user", None), "district_id", None)
        if district_id is not None:  # a district's user is offered only the own district
            fields = self.form.fields
            fields["district"].queryset = fields["district"].queryset.filter(pk=district_id)
            fields["team"].queryset = fields["team"].queryset.filter(district_id=district_id)


class ClientTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), accessor="family_name",
                         order_by=("family_name", "given_name", "pk"))
    national_id = tables.Column(verbose_name=_("National identity number"),
                                accessor="masked_national_id", orderable=False)
    district = tables.Column(verbose_name=_("District"), accessor="district__name",
                             order_by=("district__number", "family_name"))
    team = tables.Column(verbose_name=_("Team"), accessor="team__name", default="",
                         order_by=("team__name", "family_name"))

    class Meta:
        template_name = "web/table.html"
        attrs = {"class": "table pkt-table"}
        order_by_field = "sortering"
        page_field = "side"
        empty_text = _("No clients to show.")

    def render_name(self, record: Client) -> str:
        return format_html('<a href="{}">{}, {}</a>',
                           reverse("clients:detail", args=[record.pk]),
                           record.family_name, record.given_name)
