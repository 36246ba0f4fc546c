"""Decision letters and interim replies, in plain bokmål, as HTML and PDF.

The letter is one HTML template; the PDF is WeasyPrint's rendering of the
same HTML with the same stylesheet (read from the static files, nothing is
fetched over the network).
"""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from tillit.core import deadlines
from tillit.decisions import services
from tillit.decisions.models import Application, Decision

LETTER_CSS = "decisions/letter.css"

LEGAL_GROUNDS = [
    ("Pasient- og brukerrettighetsloven § 2-1 a andre ledd",
     "gir deg rett til nødvendige helse- og omsorgstjenester fra kommunen."),
    ("Helse- og omsorgstjenesteloven § 3-1",
     "sier at kommunen skal sørge for at personer som oppholder seg i kommunen, "
     "tilbys nødvendige helse- og omsorgstjenester."),
    ("Helse- og omsorgstjenesteloven § 3-2 første ledd nr. 6",
     "sier at kommunen skal tilby helsetjenester i hjemmet og personlig assistanse, "
     "herunder praktisk bistand og opplæring."),
]

CHANGE_TEXT = {
    Decision.Change.NEW: "Du får et nytt vedtak.",
    Decision.Change.INCREASED: "Vi har revurdert behovet ditt, og hjelpen blir økt.",
    Decision.Change.UNCHANGED: "Vi har revurdert behovet ditt, og hjelpen blir som før.",
    Decision.Change.REDUCED: "Vi har revurdert behovet ditt, og hjelpen blir redusert.",
    Decision.Change.ENDED: "Vi har revurdert behovet ditt, og hjelpen avsluttes.",
}


def _office(decision_or_app: Decision | Application) -> str:
    return f"Bestillerkontoret, bydel {decision_or_app.client.district.name}"


def decision_context(decision: Decision) -> dict[str, Any]:
    previous = decision.previous
    return {
        "decision": decision,
        "client": decision.client,
        "office": _office(decision),
        "visits": list(decision.visits.select_related("after")),
        "legal_grounds": LEGAL_GROUNDS,
        "change_text": CHANGE_TEXT.get(decision.change, ""),
        "previous": previous,
        "hours": f"{decision.weekly_minutes / 60:.1f}".replace(".", ","),
        "previous_hours": f"{previous.weekly_minutes / 60:.1f}".replace(".", ",")
        if previous else None,
        "today": services.today(),
    }


def interim_context(application: Application) -> dict[str, Any]:
    received = services.case_time(application).received
    return {
        "application": application,
        "client": application.client,
        "office": _office(application),
        "received": received,
        "month_after": deadlines.add_months(received, 1),
        "today": application.interim_sent_on or services.today(),
    }


def _no_network(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"letters fetch nothing over the network: {url}")


def pdf_bytes(html: str) -> bytes:
    from weasyprint import CSS, HTML

    css_path = finders.find(LETTER_CSS)
    stylesheets = [CSS(filename=css_path)] if css_path else []
    return HTML(string=html, url_fetcher=_no_network).write_pdf(stylesheets=stylesheets)


def respond(request: HttpRequest, template: str, context: dict[str, Any], *, pdf: bool,
            filename: str) -> HttpResponse:
    html = render_to_string(template, {**context, "for_pdf": pdf}, request=request)
    if not pdf:
        return HttpResponse(html)
    response = HttpResponse(pdf_bytes(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
