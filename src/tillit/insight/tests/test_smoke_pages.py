from __future__ import annotations

import pytest
from django.test import Client as Browser

from tillit.accounts.models import User

PAGES = ["/innsikt/", "/innsikt/saksbehandlingstid/", "/innsikt/leverandorer/",
         "/innsikt/lederspenn/", "/innsikt/tillitspilot/"]


@pytest.mark.django_db
def test_pages_open(demo_city):
    browser = Browser()
    browser.force_login(User.objects.get(username="analytiker"))
    for page in PAGES:
        response = browser.get(page)
        assert response.status_code == 200, page
