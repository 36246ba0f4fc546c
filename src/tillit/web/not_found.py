"""Missing pages give the Norwegian 404 page in every mode: with DEBUG on,
Django answers a missing page (or a view's Http404) with its technical
page in English; this puts the app's own page in its place. Answers that
are not HTML pages (the API's JSON, downloads) are left as they are."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.defaults import page_not_found


class NorwegianNotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (settings.DEBUG and response.status_code == 404
                and response.get("Content-Type", "").startswith("text/html")
                and not request.path.startswith("/api/")):
            return page_not_found(request, exception=None)
        return response
