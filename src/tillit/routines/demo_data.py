"""Demo routines for the demo city: five city-wide routines (one in its
second version), the working groups with district representatives, and the
districts' answers, deliberately uneven (some districts implement quickly,
some lag, a few report deviations) so the compliance overview has something
to show. Deterministic for a seed. Call once, after the users exist."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from tillit.accounts.models import Role, User
from tillit.decisions.models import ServiceType
from tillit.organisation.models import Agency, District
from tillit.routines.models import (
    Acknowledgement,
    Kind,
    Routine,
    RoutineVersion,
    Status,
    WorkingGroupMember,
)
from tillit.routines.services import targets

# title, agency slug, kind, service codes, published days ago, days to answer, text
ROUTINES = (
    ("Legemiddelhåndtering i hjemmetjenesten", "helseetaten", Kind.MANDATORY,
     ("home-nursing",), 200, 60,
     "Alle legemidler deles og gis etter signert legemiddelliste. Dobbeltkontroll ved "
     "risikolegemidler. Avvik meldes i kvalitetssystemet samme dag."),
    ("Sårbehandling og dokumentasjon", "helseetaten", Kind.MANDATORY,
     ("home-nursing",), 120, 45,
     "Sår vurderes og fotograferes ved oppstart og hver 14. dag. Behandlingsplanen "
     "skrives i journalen og følges av alle som besøker."),
    ("Mottak av nye brukere fra sykehus", "bestillerkontoret", Kind.MANDATORY,
     (), 60, 30,
     "Første besøk samme dag som utskrivning. Primærkontakt utnevnes innen tre dager."),
    ("Brann- og trygghetssjekk hjemme", "velferdsetaten", Kind.ADVISORY,
     ("practical-assistance", "safety-alarm"), 90, 60,
     "Sjekk røykvarsler og trygghetsalarm ved oppstart og hvert halvår."),
    ("Tilkalling ved fall", "helseetaten", Kind.MANDATORY, ("safety-alarm",), 20, 25,
     "Ved fall: vurder skade, ring 113 ved tvil, varsle pårørende og fastlege."),
)
# The districts' pace: a share that implements, a share that lags.
PACE = {"fast": (0.8, 0.15), "medium": (0.55, 0.3), "slow": (0.25, 0.4)}


def build_routines(*, seed: int, today: dt.date) -> int:
    rng = random.Random(seed * 7919 + 17)
    admin = User.objects.filter(role=Role.SYSTEM_ADMIN).order_by("pk").first()
    if admin is None:
        return 0
    managers = {u.district_id: u for u in User.objects.filter(role=Role.DISTRICT_MANAGER)}
    districts = list(District.objects.order_by("number"))
    pace = {d.pk: rng.choice(("fast", "fast", "medium", "medium", "slow")) for d in districts}
    agencies = {a.slug: a for a in Agency.objects.all()}
    rows = 0
    for n, (title, agency, kind, codes, ago, answer_in, text) in enumerate(ROUTINES):
        routine = Routine.objects.create(title=title, agency=agencies.get(agency))
        routine.service_types.set(ServiceType.objects.filter(code__in=codes))
        group = rng.sample(districts, 3)
        WorkingGroupMember.objects.bulk_create([
            WorkingGroupMember(routine=routine, name=f"Representant {d.name}", district=d,
                               role="bydelsrepresentant") for d in group
        ] + [WorkingGroupMember(routine=routine, name="Fagansvarlig", agency=agencies.get(agency),
                                role="leder")])
        versions = [(1, ago, "")]
        if n == 0:
            versions.append((2, 25, "Nye krav til dobbeltkontroll av insulin"))
        for number, days_ago, note in versions:
            published = today - dt.timedelta(days=days_ago)
            version = RoutineVersion.objects.create(
                routine=routine, number=number, kind=kind, text=text, change_note=note,
                effective_from=published, respond_by=published + dt.timedelta(days=answer_in),
                published_by=admin)
            RoutineVersion.objects.filter(pk=version.pk).update(published_at=_at(published))
            acks = [Acknowledgement(version=version, district=d, unit=u)
                    for d, u in targets(today)]
            for ack in acks:
                _answer(ack, rng, pace[ack.district_id], managers.get(ack.district_id),
                        published, today)
            Acknowledgement.objects.bulk_create(acks)
            rows += 1 + len(acks)
    return rows


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def _answer(ack: Acknowledgement, rng: random.Random, pace: str, manager: User | None,
            published: dt.date, today: dt.date) -> None:
    done, lagging = PACE[pace]
    if manager is None:
        return
    elapsed = (today - published).days
    if elapsed < 3:
        return
    draw = rng.random()
    if draw < done * min(1.0, elapsed / 40):
        ack.status = Status.IMPLEMENTED
    elif draw < done + lagging * 0.6:
        ack.status = Status.IN_PROGRESS
    elif draw < done + lagging:
        return  # not acknowledged yet
    elif draw < done + lagging + 0.08:
        ack.status = Status.DEVIATION
        ack.deviation_reason = rng.choice((
            "Mangler låsbart medisinrom på basen.",
            "Opplæring er ikke gjennomført for helgeansatte.",
            "Avventer nytt journalsystem.",
        ))
    else:
        ack.status = Status.NOT_STARTED
    when = _at(published + dt.timedelta(days=rng.randrange(1, max(2, elapsed))))
    ack.acknowledged_at = ack.updated_at = when
    ack.acknowledged_by = manager
