"""The decision pages on the demo city's synthetic history (built once for
the module by the `demo_city` fixture)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tillit.accounts.models import User
from tillit.decisions.models import Application, Assessment, Decision, Reassessment

pytestmark = pytest.mark.django_db


def test_demo_history_pages_render(demo_city, client) -> None:
    """Every kind of page, on the synthetic history (no actors, blocks not
    stated, superseded versions, open and closed reassessments)."""
    client.force_login(User.objects.get(username="saksbehandler"))  # the demo's central office
    urls = [reverse("decisions:worklist"), reverse("decisions:overdue")]
    for app in Application.objects.order_by("pk")[:5]:
        urls.append(reverse("decisions:application", args=[app.pk]))
    for a in Assessment.objects.order_by("pk")[:3]:
        urls.append(reverse("decisions:assessment", args=[a.pk]))
    picks = [Decision.objects.filter(care_block="").first(),
             Decision.objects.filter(status="superseded").first(),
             Decision.objects.filter(version=2, change="reduced").first(),
             Decision.objects.filter(status="ended").first()]
    for d in filter(None, picks):
        urls += [reverse("decisions:decision", args=[d.pk]),
                 reverse("decisions:letter", args=[d.pk])]
    for r in [Reassessment.objects.filter(closed_at__isnull=True).first(),
              Reassessment.objects.filter(closed_at__isnull=False).first()]:
        if r is not None:
            urls.append(reverse("decisions:reassessment", args=[r.pk]))
    interim = Application.objects.filter(interim_sent_on__isnull=False).first()
    if interim is not None:
        urls.append(reverse("decisions:interim_letter", args=[interim.pk]))
    assert len(urls) > 14
    for u in urls:
        assert client.get(u).status_code == 200, u
