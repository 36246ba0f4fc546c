"""Synthetic purchaser-office history for the demo city.

For every existing client: applications (from the client, relatives, the
hospital or the GP), IPLOS assessments, decisions with weekly visit
patterns, and a year of history with reassessments (increases, unchanged,
reductions, endings). Need levels follow the national figures (37 % light,
31 % medium, 24 % extensive, 9 % not stated) with decided hours of about
1.7, 6.4 and 37 a week; districts and private providers are deliberately
uneven so the city comparisons have something to find. A few per cent of
clients have an open application, some of them past the interim-reply
deadline. Every row is marked `synthetic`. Deterministic for a seed.

Call it once per set of clients (the demo builder does, after the clients):
a second call with the same seed would repeat the decision series ids.
About 18 s for Oslo's 15 000 clients on SQLite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from tillit.clients.models import Client
from tillit.core import careblocks
from tillit.decisions.models import (
    SLOT_WINDOWS,
    Application,
    ApplicationEvent,
    Assessment,
    AttachmentKind,
    CaseAttachment,
    CaseNote,
    Decision,
    DecisionVisit,
    IplosDefinition,
    Reassessment,
    ServiceType,
)

Progress = Callable[[str, int, int], None]

LEVELS = (("light", 37), ("medium", 31), ("extensive", 24), ("", 9))  # "" = not stated
WEEKLY_HOURS = {"light": 1.7, "medium": 6.4, "extensive": 37.0, "": 4.0}
SOURCES = (("client", 30), ("relative", 25), ("hospital", 30), ("gp", 15))
APPLICANTS = {"relative": ("Datter", "Sønn", "Ektefelle", "Nevø"),
              "hospital": ("Oslo universitetssykehus, Ullevål", "Lovisenberg diakonale sykehus",
                           "Diakonhjemmet sykehus", "Oslo universitetssykehus, Aker"),
              "gp": ("Fastlege ved Legesenteret", "Fastlege ved Helsehuset")}
TASKS = {
    "morning": ("Morgenstell, påkledning og frokost", ["personlig_hygiene", "av_og_pakledning"]),
    "midday": ("Tilsyn, lunsj og medisiner", ["spise", "ivareta_helse"]),
    "evening": ("Middag, kveldsstell og medisiner", ["spise", "personlig_hygiene"]),
    "night": ("Nattilsyn og toalettbesøk", ["toalett"]),
    "practical": ("Rengjøring av bolig og klesvask", ["alminnelig_husarbeid"]),
    "light_care": ("Dusj og hårvask, tilsyn", ["personlig_hygiene"]),
}
NOTES = (
    "Ringte datteren: hun ønsker at morgenbesøket kommer før kl. 9.",
    "Hjemmebesøk avtalt. Brukeren vil helst ha samme pleier om morgenen.",
    "Fastlegen bekrefter økende hukommelsessvikt; uttalelse kommer i posten.",
    "Brukeren klarer trappen selv, men trenger hjelp til dusj.",
    "Pårørende avlaster i helgene; behovet er størst på hverdager.",
    "Venter på epikrise fra sykehuset før kartleggingen avsluttes.",
)
OUTCOMES = (("increased", 45), ("unchanged", 25), ("reduced", 25), ("ended", 5))
BATCH = 2000


def _pick(rng: random.Random, options: tuple[tuple[Any, int], ...]) -> Any:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


def _aware(day: dt.date, rng: random.Random) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 15),
                                                                rng.randrange(0, 60, 5))))


def _scores(rng: random.Random, codes: list[str], level: str) -> dict[str, int]:
    """Scores whose computed care block (default rule) is `level`."""
    scores = {c: rng.choice((1, 1, 1, 2, 2)) for c in codes}
    pool = codes[:]
    rng.shuffle(pool)
    if level == "light":
        for c in pool[: rng.randint(0, 3)]:
            scores[c] = 3
    elif level == "medium":
        needs = pool[: rng.randint(4, 8)]
        for c in needs:
            scores[c] = 3
        for c in needs[: rng.randint(0, 1)]:
            scores[c] = 4
    else:
        for c in pool[: rng.randint(5, 11)]:
            scores[c] = rng.choice((4, 4, 5))
    for c in ("syn", "horsel"):
        if c in scores and rng.random() < 0.3:
            scores[c] = 9
    return scores


def _visits(rng: random.Random, level: str, weekly: int, service: str) -> list[dict[str, Any]]:
    """A weekly pattern adding up to about `weekly` minutes."""
    if service == "practical-assistance":
        days = rng.choice(([2], [1, 4], [3]))
        per = max(15, round(weekly / len(days) / 5) * 5)
        return [dict(slot="midday", weekdays=days, minutes=min(per, 480), competence="assistant",
                     kind="practical")]
    if level in ("light", ""):
        days = rng.choice(([0, 3], [1, 4], [2], [0, 2, 4]))
        per = max(10, round(weekly / len(days) / 5) * 5)
        return [dict(slot="morning", weekdays=days, minutes=min(per, 480),
                     competence="health_worker", kind="light_care")]
    everyday = list(range(7))
    if level == "medium":
        daily = weekly / 7
        if daily <= 40:
            return [dict(slot="morning", weekdays=everyday, minutes=max(10, round(daily / 5) * 5),
                         competence="health_worker", kind="morning")]
        return [
            dict(slot="morning", weekdays=everyday, minutes=max(10, round(daily * 0.6 / 5) * 5),
                 competence="health_worker", kind="morning"),
            dict(slot="evening", weekdays=everyday, minutes=max(10, round(daily * 0.4 / 5) * 5),
                 competence="health_worker", kind="evening"),
        ]
    daily = weekly / 7
    shares = (("morning", 0.35), ("midday", 0.2), ("evening", 0.3), ("night", 0.15))
    return [
        dict(slot=slot, weekdays=everyday, minutes=min(480, max(10, round(daily * s / 5) * 5)),
             competence="nurse" if slot == "morning" else "health_worker", kind=slot)
        for slot, s in shares
    ]


class _Builder:
    def __init__(self, seed: int, today: dt.date, progress: Progress | None) -> None:
        self.rng = random.Random(f"decisions-{seed}")
        # Notes and attachments draw from their own stream: the rest of the
        # history stays as it was for a seed.
        self.note_rng = random.Random(f"decisions-notes-{seed}")
        self.seed = seed
        self.today = today
        self.progress = progress or (lambda stage, done, total: None)
        self.definition = IplosDefinition.current()
        self.codes = self.definition.definition.codes()
        self.services = {s.code: s for s in ServiceType.objects.all()}
        self.district_factor: dict[int, float] = {}
        self.district_days: dict[int, int] = {}
        self.rows = 0

    def district_profile(self, district_id: int, slug: str) -> tuple[float, int]:
        if district_id not in self.district_factor:
            r = random.Random(f"{self.seed}-{slug}")
            self.district_factor[district_id] = 0.78 + 0.5 * r.random()
            self.district_days[district_id] = r.randint(8, 30)
        return self.district_factor[district_id], self.district_days[district_id]

    def weekly_minutes(self, level: str, factor: float, private: bool) -> int:
        hours = WEEKLY_HOURS[level] * factor * (1.18 if private else 1.0)
        hours *= self.rng.lognormvariate(0, 0.35)
        return max(20, int(hours * 60))

    def build(self) -> int:
        clients = list(
            Client.objects.order_by("pk").values_list(
                "pk", "district_id", "district__slug", "district__name", "provider_id",
                "provider__kind",
            )
        )
        total = len(clients)
        done = 0
        for start in range(0, total, BATCH):
            with transaction.atomic():
                self.chunk(clients[start:start + BATCH])
            done = min(total, start + BATCH)
            self.progress("decisions", done, total)
        return self.rows

    def chunk(self, clients: list[tuple]) -> None:
        rng = self.rng
        apps: list[Application] = []
        events: list[tuple[int, list[tuple[str, dt.datetime, str]]]] = []
        assessments: list[tuple[int, Assessment]] = []
        decisions: list[dict[str, Any]] = []
        for pk, district_id, slug, district_name, provider_id, provider_kind in clients:
            factor, mean_days = self.district_profile(district_id, slug)
            private = provider_kind == "private"
            level = _pick(rng, LEVELS)
            source = _pick(rng, SOURCES)
            office = f"Bestillerkontoret {district_name}"
            open_case = rng.random() < 0.04
            if open_case:
                received = self.today - dt.timedelta(days=rng.randint(0, 45))
            else:
                received = self.today - dt.timedelta(days=rng.randint(60, 400))
            service = ("practical-assistance" if level == "light" and rng.random() < 0.45
                       else "home-nursing")
            days = max(1, int(rng.expovariate(1 / mean_days)))
            decided_day = received + dt.timedelta(days=days)
            received_at = _aware(received, rng)
            app = Application(
                client_id=pk, service_type=self.services[service], source=source,
                applicant_name=rng.choice(APPLICANTS.get(source, ("",))),
                received_at=received_at,
                urgency="urgent" if source == "hospital" and rng.random() < 0.5 else "normal",
                description="Søknad om hjelp i hjemmet (syntetiske demodata).", synthetic=True,
            )
            history = [("received", received_at, "Søknad registrert")]
            assessed_on = min(self.today, received + dt.timedelta(days=max(0, days // 2)))
            assessment = None
            if level:
                scores = _scores(rng, self.codes, level)
                result = careblocks.compute(scores)
                block = result.block
                override = ""
                if rng.random() < 0.04:
                    block = {"light": "medium", "medium": rng.choice(("light", "extensive")),
                             "extensive": "medium"}[result.block]
                    override = rng.choice((
                        "Rask forverring ventet etter sykehusopphold",
                        "Pårørende avlaster mye; behovet er mindre enn skårene tilsier",
                        "Kognitiv svikt gir større behov enn skårene viser"))
                if not open_case or rng.random() < 0.5:
                    assessment = Assessment(
                        client_id=pk, definition=self.definition, assessed_on=assessed_on,
                        assessor_name=f"Saksbehandler, {office}", scores=scores,
                        computed_block=result.block, rule_result=result.as_dict(), block=block,
                        override_reason=override, synthetic=True,
                    )
                    history.append(("assessed", _aware(assessed_on, rng), "Kartlegging registrert"))
                level = block
            if open_case:
                app.status = "assessed" if assessment else "received"
                if (self.today - received).days > 28 and rng.random() < 0.6:
                    app.interim_sent_on = received + dt.timedelta(days=rng.randint(20, 29))
                    app.interim_expected_on = self.today + dt.timedelta(days=rng.randint(5, 30))
                    app.interim_reason = "Venter på opplysninger fra fastlege."
                    history.append(("assessed" if assessment else "received",
                                    _aware(app.interim_sent_on, rng), "Foreløpig svar sendt"))
            else:
                decided_at = _aware(decided_day, rng)
                app.status = "decided"
                app.decided_at = decided_at
                if days > 31 and rng.random() < 0.7:
                    app.interim_sent_on = received + dt.timedelta(days=rng.randint(20, 30))
                    app.interim_expected_on = decided_day
                    app.interim_reason = "Venter på epikrise fra sykehuset."
                history.append(("decided", decided_at, "Vedtak fattet"))
                weekly = self.weekly_minutes(level, factor, private)
                decisions.append(dict(
                    index=len(apps), client=pk, service=service, level=level, weekly=weekly,
                    provider=provider_id, valid_from=decided_day + dt.timedelta(days=1),
                    decided_at=decided_at, office=office, factor=factor,
                ))
            apps.append(app)
            events.append((len(apps) - 1, history))
            if assessment is not None:
                assessments.append((len(apps) - 1, assessment))
        Application.objects.bulk_create(apps, batch_size=BATCH)
        ApplicationEvent.objects.bulk_create(
            [ApplicationEvent(application=apps[i], version=v, status=s, at=at, note=note)
             for i, hist in events for v, (s, at, note) in enumerate(hist, 1)],
            batch_size=BATCH,
        )
        for i, a in assessments:
            a.application = apps[i]
        Assessment.objects.bulk_create([a for _i, a in assessments], batch_size=BATCH)
        by_app = {i: a for i, a in assessments}
        self.rows += len(apps) + sum(len(h) for _i, h in events) + len(assessments)
        self.case_files(apps)
        self.decisions(decisions, apps, by_app)

    def decisions(self, specs: list[dict[str, Any]], apps: list[Application],
                  by_app: dict[int, Assessment]) -> None:
        rng = self.rng
        first: list[Decision] = []
        patterns: list[list[dict[str, Any]]] = []
        for spec in specs:
            pattern = _visits(rng, spec["level"], spec["weekly"], spec["service"])
            patterns.append(pattern)
            first.append(Decision(
                series=uuid.UUID(int=rng.getrandbits(128)), version=1, client_id=spec["client"],
                application=apps[spec["index"]], assessment=by_app.get(spec["index"]),
                service_type=self.services[spec["service"]], care_block=spec["level"],
                provider_id=spec["provider"], valid_from=spec["valid_from"],
                review_on=spec["valid_from"] + dt.timedelta(days=rng.choice((90, 180, 180, 365))),
                weekly_minutes=sum(v["minutes"] * len(v["weekdays"]) for v in pattern),
                tolerance_percent=15, justification="Syntetiske demodata.",
                change="new", status="active", decided_at=spec["decided_at"],
                decided_by_name=f"Saksbehandler, {spec['office']}", synthetic=True,
            ))
        # A year of history: some decisions were reassessed since.
        second: list[Decision] = []
        second_patterns: list[list[dict[str, Any]]] = []
        reassess: list[tuple[int, str, dt.date]] = []
        for i, d in enumerate(first):
            span = (self.today - d.valid_from).days
            if span < 60 or rng.random() > 0.4:
                continue
            outcome = _pick(rng, OUTCOMES)
            when = d.valid_from + dt.timedelta(days=rng.randint(30, span - 1))
            reassess.append((i, outcome, when))
            if outcome in ("increased", "reduced"):
                factor = rng.uniform(1.2, 1.8) if outcome == "increased" else rng.uniform(0.4, 0.8)
                spec = specs[i]
                pattern = _visits(rng, spec["level"], max(20, int(spec["weekly"] * factor)),
                                  spec["service"])
                step = 5 if outcome == "increased" else -5

                def total(p: list[dict[str, Any]]) -> int:
                    return sum(v["minutes"] * len(v["weekdays"]) for v in p)

                def wrong(w: int, old: int = d.weekly_minutes, up: bool = step > 0) -> bool:
                    return w <= old if up else w >= old

                while wrong(total(pattern)) and 10 <= pattern[0]["minutes"] + step <= 480:
                    pattern[0]["minutes"] += step
                weekly = total(pattern)
                if wrong(weekly):
                    reassess[-1] = (i, "unchanged", when)
                    continue
                d.status = "superseded"
                d.valid_to = when - dt.timedelta(days=1)
                second.append(Decision(
                    series=d.series, version=2, client_id=d.client_id,
                    application=d.application, assessment=d.assessment,
                    service_type=d.service_type, care_block=d.care_block,
                    provider_id=d.provider_id, valid_from=when,
                    review_on=when + dt.timedelta(days=180), weekly_minutes=weekly,
                    tolerance_percent=15,
                    justification=("Økt etter revurdering." if outcome == "increased"
                                   else "Redusert etter revurdering: bedre funksjon."),
                    change=outcome, status="active",
                    decided_at=_aware(when - dt.timedelta(days=rng.randint(1, 7)), rng),
                    decided_by_name=d.decided_by_name, synthetic=True,
                ))
                second_patterns.append(pattern)
            elif outcome == "ended":
                d.status = "ended"
                d.valid_to = when
        Decision.objects.bulk_create(first, batch_size=BATCH)
        by_series = {d.series: d for d in first}
        for d in second:
            d.previous = by_series[d.series]
        Decision.objects.bulk_create(second, batch_size=BATCH)
        self.visits(first + second, patterns + second_patterns)
        new_by_series = {d.series: d for d in second}
        rows = []
        for i, outcome, when in reassess:
            d = first[i]
            rows.append(Reassessment(
                decision=d, source=_pick(rng, (("review_date", 55), ("request", 45))),
                reason="Syntetiske demodata.", opened_at=_aware(when - dt.timedelta(days=14), rng),
                outcome=outcome, closed_at=_aware(when - dt.timedelta(days=1), rng),
                new_decision=new_by_series.get(d.series), synthetic=True,
            ))
        # Open requests for reassessment on some active decisions.
        for d in rng.sample(second, min(len(second), max(0, len(first) // 50))):
            rows.append(Reassessment(decision=d, source="request",
                                     reason="Pårørende melder om økt behov (syntetisk).",
                                     opened_at=_aware(self.today - dt.timedelta(days=3), rng),
                                     synthetic=True))
        Reassessment.objects.bulk_create(rows, batch_size=BATCH)
        self.rows += len(first) + len(second) + len(rows)

    def visits(self, decisions: list[Decision], patterns: list[list[dict[str, Any]]]) -> None:
        rng = self.rng
        rows: list[DecisionVisit] = []
        follow: list[tuple[int, int]] = []
        for d, pattern in zip(decisions, patterns, strict=True):
            base = len(rows)
            insulin = d.care_block in ("medium", "extensive") and rng.random() < 0.15
            for order, v in enumerate(pattern):
                text, codes = TASKS[v["kind"]]
                skills = []
                if insulin and v["slot"] == "morning":
                    skills = ["insulin"]
                    text += ", insulin"
                elif d.care_block == "extensive" and v["slot"] == "evening" and rng.random() < 0.1:
                    skills = ["wound_care"]
                    text += ", sårstell"
                two = d.care_block == "extensive" and v["slot"] == "morning" and rng.random() < 0.15
                start, end = SLOT_WINDOWS[v["slot"]]
                rows.append(DecisionVisit(
                    decision=d, order=order, slot=v["slot"], weekdays=v["weekdays"],
                    window_start=start, window_end=end, minutes=v["minutes"],
                    competence="nurse" if skills == ["insulin"] else v["competence"],
                    skills=skills, staff_count=2 if two else 1,
                    two_person_reason="Tung forflytning med personløfter" if two else "",
                    tasks=text, task_codes=codes,
                ))
                if insulin and v["slot"] == "midday":
                    follow.append((len(rows) - 1, base))
        DecisionVisit.objects.bulk_create(rows, batch_size=BATCH)
        linked = []
        for i, j in follow:
            rows[i].after = rows[j]
            rows[i].after_min_minutes = 180
            rows[i].after_max_minutes = 300
            linked.append(rows[i])
        if linked:
            DecisionVisit.objects.bulk_update(
                linked, ["after", "after_min_minutes", "after_max_minutes"], batch_size=BATCH)
        self.rows += len(rows)


    def case_files(self, apps: list[Application]) -> None:
        """Case notes on every open application and a fifth of the others,
        and a tiny generated PDF discharge summary on open hospital cases."""
        rng = self.note_rng
        notes: list[CaseNote] = []
        attachments: list[CaseAttachment] = []
        for app in apps:
            is_open = app.status in {"received", "assessed"}
            if not is_open and rng.random() >= 0.2:
                continue
            for k in range(rng.randint(1, 2)):
                notes.append(CaseNote(
                    application=app, client_id=app.client_id, text=rng.choice(NOTES),
                    written_at=app.received_at + dt.timedelta(hours=2 + 30 * k),
                    author_name="Saksbehandler (demodata)", synthetic=True))
            if is_open and app.source == "hospital":
                data = demo_pdf("Epikrise (syntetiske demodata)")
                attachments.append(CaseAttachment(
                    application=app, client_id=app.client_id,
                    kind=AttachmentKind.DISCHARGE_SUMMARY, title="Epikrise fra sykehuset",
                    filename="epikrise.pdf", content_type="application/pdf", size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(), content=data,
                    uploaded_at=app.received_at + dt.timedelta(hours=1),
                    uploaded_by_name="Saksbehandler (demodata)", synthetic=True))
        CaseNote.objects.bulk_create(notes, batch_size=BATCH)
        CaseAttachment.objects.bulk_create(attachments, batch_size=BATCH)
        self.rows += len(notes) + len(attachments)


def demo_pdf(line: str) -> bytes:
    """A one-page PDF with one line of (ASCII) text, built by hand."""
    text = line.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 770 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def build_decisions(*, seed: int, today: dt.date, progress: Progress | None = None) -> int:
    """Create the purchaser-office history for every existing client.
    Returns the number of rows created."""
    return _Builder(seed, today, progress).build()
