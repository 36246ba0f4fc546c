"""Writes of the insight app: the trust pilot's register and surveys."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from tillit.insight.models import SCORE_FIELDS, PilotSite, SurveyResponse
from tillit.organisation.models import District, Team


def _own_district(actor, district: District) -> None:
    if actor.district_id != district.pk:
        raise ValidationError({"district": ["Du kan bare registrere for din egen bydel."]})


@transaction.atomic
def do_register_pilot(*, district: District, team: Team | None, starts_on: dt.date,
                      ends_on: dt.date | None, note: str, actor) -> PilotSite:
    _own_district(actor, district)
    site = PilotSite(district=district, team=team, starts_on=starts_on, ends_on=ends_on,
                     note=note, registered_by=actor)
    site.full_clean()
    site.save()
    return site


@transaction.atomic
def do_end_pilot(site: PilotSite, *, ends_on: dt.date, actor) -> PilotSite:
    _own_district(actor, site.district)
    site.ends_on = ends_on
    site.full_clean()
    site.save(update_fields=["ends_on"])
    return site


@transaction.atomic
def do_record_survey(*, district: District, team: Team | None, answered_on: dt.date,
                     scores: dict[str, int], actor) -> SurveyResponse:
    _own_district(actor, district)
    response = SurveyResponse(district=district, team=team, answered_on=answered_on,
                              recorded_by=actor, **{f: scores.get(f) for f in SCORE_FIELDS})
    response.full_clean()
    response.save()
    return response
