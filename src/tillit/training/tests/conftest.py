from __future__ import annotations

import pytest

from tillit.organisation.models import Competence
from tillit.training.models import Course, OnboardingProgramme, Topic


@pytest.fixture
def courses(db) -> dict[str, Course]:
    made = {
        "insulin": Course.objects.create(code="insulin", name="Insulinbehandling",
                                         topic=Topic.CLINICAL, qualification="insulin",
                                         valid_months=24),
        "wound": Course.objects.create(code="wound", name="Sårbehandling", topic=Topic.CLINICAL,
                                       qualification="wound_care", valid_months=36),
        "record": Course.objects.create(code="record", name="Journalsystemet",
                                        topic=Topic.SYSTEMS),
    }
    programme = OnboardingProgramme.objects.create(competence=Competence.NURSE,
                                                   name="Oppstart sykepleier", due_days=30)
    programme.courses.set([made["insulin"], made["record"]])
    return made


@pytest.fixture
def nurse(planlegger_sagene):
    """An employee in Sagene's home care team (the planner's own, a nurse)."""
    return planlegger_sagene.employee
