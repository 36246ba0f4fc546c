"""Decision letters and interim replies, in plain bokmål, as HTML and PDF.

The letter is one HTML template; the PDF is WeasyPrint's rendering of the
same HTML with the same stylesheet (read from the static files, nothing is
fetched over the network).

A letter is a document, not UI: it is rendered in bokmål and in Europe/Oslo
time whatever the browser asks for, and it depends only on the stored
records (the same decision always gives the same letter). Every letter of a
case carries the same reference (`case_reference`). A decision letter needs
individual reasons (forvaltningsloven § 25): `LetterNotReady` otherwise.
"""

from __future__ import annotations

import os
import threading
import zoneinfo
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tillit.core import deadlines
from tillit.decisions import services
from tillit.decisions.models import Application, Decision

LETTER_CSS = "decisions/letter.css"
LETTER_LANGUAGE = "nb"
LETTER_TIME_ZONE = "Europe/Oslo"
DEFAULT_APPEAL_BODY = "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus"
DEFAULT_OFFICE_PHONE = "21 80 21 80"


class LetterNotReady(Exception):
    """The letter may not be sent yet; `reason` says why (in bokmål)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def appeal_body() -> str:
    """Who decides appeals: `settings.TILLIT_APPEAL_BODY`."""
    return str(getattr(settings, "TILLIT_APPEAL_BODY", "") or DEFAULT_APPEAL_BODY)


def office_phone() -> str:
    """The purchaser office's phone number: `settings.TILLIT_OFFICE_PHONE`."""
    return str(getattr(settings, "TILLIT_OFFICE_PHONE", "") or DEFAULT_OFFICE_PHONE)


def _local_year(moment: Any) -> int:
    return timezone.localtime(moment, zoneinfo.ZoneInfo(LETTER_TIME_ZONE)).year


def case_reference(item: Decision | Application) -> str:
    """The case's reference, the same on every letter of the case:
    `<year received>/<application number>` (for example `2026/00042`).
    A decision is filed under the application its series started from; a
    series without an application (decided before the office's records) is
    filed under its first version: `<year decided>/V<number>`."""
    if isinstance(item, Application):
        return f"{_local_year(item.received_at)}/{item.pk:05d}"
    versions = Decision.objects.filter(series=item.series)
    start = versions.filter(application__isnull=False).select_related(
        "application").order_by("version").first()
    if start is not None and start.application is not None:
        return case_reference(start.application)
    first = versions.order_by("version").first() or item
    return f"{_local_year(first.decided_at)}/V{first.pk:05d}"

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


OUTCOME_TEXT = {
    Decision.Outcome.PARTIAL: (
        "Du får noe av det du søkte om, men ikke alt. I begrunnelsen nedenfor står det hva du "
        "ikke får, og hvorfor."
    ),
    Decision.Outcome.REFUSED: (
        "Vi har vurdert søknaden din, og du får ikke {service}. Dette kalles et avslag. "
        "I begrunnelsen nedenfor står det hvorfor."
    ),
}


def letter_title(decision: Decision) -> str:
    service = decision.service_type.name.lower()
    if decision.outcome == Decision.Outcome.REFUSED:
        return f"Avslag på søknad om {service}"
    if decision.outcome == Decision.Outcome.PARTIAL:
        return f"Vedtak om {service} – søknaden er delvis innvilget"
    return f"Vedtak om {service}"


def _office(decision_or_app: Decision | Application) -> str:
    return f"Bestillerkontoret, bydel {decision_or_app.client.district.name}"


def check_sendable(decision: Decision) -> None:
    """Forvaltningsloven § 25: a decision letter states the individual reasons."""
    if not (decision.justification or "").strip():
        raise LetterNotReady(
            "Vedtaket har ingen individuell begrunnelse. Et vedtaksbrev kan ikke sendes uten "
            "begrunnelse (forvaltningsloven § 25)."
        )


def decision_context(decision: Decision) -> dict[str, Any]:
    check_sendable(decision)
    previous = decision.previous
    return {
        "reference": case_reference(decision),
        "title": letter_title(decision),
        "outcome_text": OUTCOME_TEXT.get(decision.outcome, "").format(
            service=decision.service_type.name.lower()),
        "appeal_body": appeal_body(),
        "phone": office_phone(),
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
    }


def interim_context(application: Application) -> dict[str, Any]:
    received = services.case_time(application).received
    return {
        "reference": case_reference(application),
        "phone": office_phone(),
        "application": application,
        "client": application.client,
        "office": _office(application),
        "received": received,
        "month_after": deadlines.add_months(received, 1),
        "today": application.interim_sent_on or services.today(),
    }


def _no_network(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"letters fetch nothing over the network: {url}")


# The font subsets WeasyPrint embeds carry a timestamp (fontTools reads
# SOURCE_DATE_EPOCH, else the clock): a fixed one keeps the same letter the
# same bytes. The environment is process-wide, hence the lock.
FONT_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
_pdf_lock = threading.Lock()


def pdf_bytes(html: str) -> bytes:
    from weasyprint import CSS, HTML

    css_path = finders.find(LETTER_CSS)
    stylesheets = [CSS(filename=css_path)] if css_path else []
    with _pdf_lock:
        before = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = FONT_EPOCH
        try:
            return HTML(string=html, url_fetcher=_no_network).write_pdf(
                stylesheets=stylesheets)
        finally:
            if before is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = before


def render_letter(template: str, context: dict[str, Any], *, for_pdf: bool) -> str:
    """The letter's HTML: bokmål and Oslo time whatever the request says, and
    nothing from the request (the same records give the same letter)."""
    with translation.override(LETTER_LANGUAGE), timezone.override(LETTER_TIME_ZONE):
        return render_to_string(template, {**context, "for_pdf": for_pdf})


def respond(request: HttpRequest, template: str, context: dict[str, Any], *, pdf: bool,
            filename: str) -> HttpResponse:
    html = render_letter(template, context, for_pdf=pdf)
    if not pdf:
        return HttpResponse(html)
    response = HttpResponse(pdf_bytes(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
