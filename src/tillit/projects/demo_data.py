"""Demo projects, pilots and measures from districts and agencies, with
results and dialogue meetings with the employees' and users' organisations.
Deterministic for a seed; call after the users exist."""

from __future__ import annotations

import datetime as dt
import random

from tillit.accounts.models import Role, User
from tillit.organisation.models import Agency, District, Sector, Unit
from tillit.projects.models import Meeting, Project

# kind, title, goal, owner (district slug or agency slug), months ago, months long, results
PROJECTS = (
    ("pilot", "Selvstyrte team i hjemmetjenesten",
     "Teamene planlegger selv dagen ut fra brukernes behov, ikke minuttvedtak.",
     "sagene", 14, 24, ""),
    ("pilot", "Tillitsbasert vedtak i blokker",
     "Vedtak i behovsblokker (lett, middels, omfattende) i stedet for minutter per oppgave.",
     "grunerlokka", 10, 18, ""),
    ("project", "Fast primærkontakt for alle nye brukere",
     "Hver ny bruker får en primærkontakt innen tre dager.",
     "nordre-aker", 30, 12, "Brukertilfredsheten økte; flere faste pleiere per bruker."),
    ("measure", "Felles sårprosedyre for byen", "Lik sårbehandling i alle bydeler.",
     "helseetaten", 20, 10, "Prosedyren er tatt inn i rutinen for sårbehandling."),
    ("pilot", "Medisindispensere i stedet for medisinbesøk",
     "Brukere som kan, får dispenser; besøkene brukes til annet.",
     "alna", 8, 12, ""),
    ("project", "Sentral hjelpemiddeltjeneste", "Én hjelpemiddeltjeneste for hele byen.",
     "helseetaten", 3, 24, ""),
    ("measure", "Heltidskultur: flere hele stillinger", "Færre små deltidsstillinger.",
     "stovner", 26, 12, "Andelen heltid økte fra 38 til 51 prosent."),
)


def build_projects(*, seed: int, today: dt.date) -> int:
    rng = random.Random(seed * 4099 + 5)
    registrant = User.objects.filter(role=Role.CASE_HANDLER, district__isnull=True).first()
    if registrant is None:
        return 0
    districts = {d.slug: d for d in District.objects.all()}
    agencies = {a.slug: a for a in Agency.objects.all()}
    managers = {u.district_id: u for u in User.objects.filter(role=Role.DISTRICT_MANAGER)}
    rows = 0
    for kind, title, goal, owner, ago, length, results in PROJECTS:
        district, agency = districts.get(owner), agencies.get(owner)
        if district is None and agency is None:
            continue
        starts = today - dt.timedelta(days=30 * ago)
        ends = starts + dt.timedelta(days=30 * length)
        status = "completed" if results else ("running" if starts <= today else "planned")
        project = Project.objects.create(
            kind=kind, title=title, goal=goal, district=district, agency=agency,
            contact_name="Prosjektleder", contact_email=f"{owner}@example.org",
            starts_on=starts, ends_on=ends, status=status, results=results,
            registered_by=managers.get(district.pk, registrant) if district else registrant)
        if district is not None:
            project.units.set(Unit.objects.filter(sector=Sector.HEALTH, district=district))
        meetings = [
            Meeting(project=project, held_on=starts + dt.timedelta(days=14 + 60 * n),
                    organisations=rng.choice(("Fagforbundet, NSF", "Fagforbundet, Delta, NSF",
                                              "Eldrerådet, Rådet for personer med funksjonsnedsettelse")),
                    employees=n % 2 == 0, users=n % 2 == 1,
                    summary="Gjennomgang av framdrift og erfaringer.",
                    agreed=rng.choice(("Evaluering etter seks måneder.",
                                       "Tillitsvalgte deltar i arbeidsgruppen.",
                                       "Brukerundersøkelse før og etter.")))
            for n in range(rng.randrange(1, 4))
            if starts + dt.timedelta(days=14 + 60 * n) <= today
        ]
        Meeting.objects.bulk_create(meetings)
        rows += 1 + len(meetings)
    return rows
