"""Demo projects: pilots, projects and measures from districts and agencies,
with meetings; valid rows."""

from __future__ import annotations

import datetime as dt

import pytest

from tillit.demo.builder import build_demo_city
from tillit.projects.models import Meeting, Project

pytestmark = pytest.mark.django_db


def test_demo_projects():
    build_demo_city(scale=0.02, seed=2, today=dt.date(2026, 11, 23))
    assert Project.objects.filter(kind="pilot").count() >= 3
    assert Project.objects.filter(agency__isnull=False).exists()
    assert Meeting.objects.exists()
    for project in Project.objects.all():
        project.full_clean()
    for meeting in Meeting.objects.all():
        meeting.full_clean()
