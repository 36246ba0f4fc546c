"""Demo training for the demo city: the course catalogue (onboarding in the
care record system and the quality system, medication handling, insulin,
wound care, ...), onboarding programmes per competence level, and
completions for every carer in a team.

Every qualification the demo builder gave a carer is backed by a valid
completion (so planning reads the same skills as before); on top, some
carers have an expired course (a gap that is not in planning), some lack an
onboarding course, and districts differ. Deterministic for a seed."""

from __future__ import annotations

import datetime as dt
import random

from tillit.organisation.models import Competence, Employee, Sector
from tillit.training.models import Completion, Course, OnboardingProgramme, Topic

# code, name, topic, qualification, valid months, hours
COURSES = (
    ("journal", "Journalsystemet: dokumentasjon i hjemmetjenesten", Topic.SYSTEMS, "", None, 4),
    ("kvalitet", "Kvalitetssystemet: avvik og prosedyrer", Topic.SYSTEMS, "", None, 2),
    ("intro", "Introduksjon til hjemmetjenesten i Oslo", Topic.ONBOARDING, "", None, 6),
    ("hygiene", "Smittevern og håndhygiene", Topic.SAFETY, "", 24, 2),
    ("medication", "Legemiddelhåndtering", Topic.CLINICAL, "medication", 24, 8),
    ("insulin", "Insulinbehandling og blodsukker", Topic.CLINICAL, "insulin", 24, 4),
    ("wound_care", "Sårbehandling", Topic.CLINICAL, "wound_care", 36, 6),
    ("catheter", "Kateterisering", Topic.CLINICAL, "catheter", 36, 3),
    ("stoma", "Stell av stomi", Topic.CLINICAL, "stoma", 36, 3),
    ("palliative_care", "Lindrende behandling", Topic.CLINICAL, "palliative_care", None, 12),
)
PROGRAMMES = {
    Competence.ASSISTANT: ("Oppstart for assistenter", ("intro", "journal", "kvalitet", "hygiene")),
    Competence.HEALTH_WORKER: ("Oppstart for helsefagarbeidere",
                               ("intro", "journal", "kvalitet", "hygiene", "medication")),
    Competence.NURSE: ("Oppstart for sykepleiere",
                       ("intro", "journal", "kvalitet", "hygiene", "medication", "insulin")),
}


def build_training(*, seed: int, today: dt.date) -> int:
    rng = random.Random(seed * 104729 + 3)
    courses = {c.code: c for c in Course.objects.bulk_create([
        Course(code=code, name=name, topic=topic, qualification=qual, valid_months=months,
               hours=hours) for code, name, topic, qual, months, hours in COURSES])}
    by_qualification = {c.qualification: c for c in courses.values() if c.qualification}
    for competence, (name, codes) in PROGRAMMES.items():
        programme = OnboardingProgramme.objects.create(competence=competence, name=name,
                                                       due_days=60)
        programme.courses.set([courses[c] for c in codes])
    carers = Employee.objects.filter(sector=Sector.HEALTH, team__isnull=False).order_by(
        "employee_number").select_related("district")
    # each district's diligence: how likely an onboarding course is done
    diligence = {n: rng.uniform(0.8, 0.99) for n in range(1, 20)}
    rows: list[Completion] = []
    for carer in carers:
        held = set(carer.qualifications or [])
        care = diligence.get(carer.district.number if carer.district else 1, 0.9)
        required = set(PROGRAMMES.get(carer.competence, ("", ()))[1])
        for code in sorted(required):
            course = courses[code]
            if course.qualification and course.qualification not in held:
                # required but not held: an expired completion (a gap) or none
                if course.valid_months and rng.random() < 0.5:
                    rows.append(_completion(carer, course, today, rng, expired=True))
                continue
            if course.qualification or rng.random() < care:
                rows.append(_completion(carer, course, today, rng, expired=False))
        for qual in sorted(held):
            course = by_qualification.get(qual)
            if course is not None and course.code not in required:
                rows.append(_completion(carer, course, today, rng, expired=False))
        for qual, course in sorted(by_qualification.items()):
            if (qual not in held and course.code not in required and course.valid_months
                    and rng.random() < 0.04):
                rows.append(_completion(carer, course, today, rng, expired=True))
    Completion.objects.bulk_create(rows, batch_size=2000)
    return len(courses) + len(PROGRAMMES) + len(rows)


def _completion(carer: Employee, course: Course, today: dt.date, rng: random.Random, *,
                expired: bool) -> Completion:
    months = course.valid_months or 48
    if expired:
        ago = months * 31 + rng.randrange(10, 300)
    else:
        ago = rng.randrange(5, max(6, months * 30 - 20))
    start = carer.valid_from if carer.valid_from and carer.valid_from < today else today
    completed = max(today - dt.timedelta(days=ago), start)
    if expired and (expiry := course.expiry_after(completed)) is not None and expiry >= today:
        completed = today - dt.timedelta(days=ago)
    return Completion(employee=carer, course=course, completed_on=completed,
                      expires_on=course.expiry_after(completed))
