"""Demo intake: contact points per agency and topic (and one per district),
inquiries from clients and relatives in every district (some answered, some
open, a few past their deadline, unevenly by district) and requests between
districts and agencies. Deterministic for a seed; call after the users and
clients exist."""

from __future__ import annotations

import datetime as dt
import random

from tillit.accounts.models import Role, User
from tillit.clients.models import Client
from tillit.inquiries.models import (
    ContactPoint,
    Inquiry,
    Request,
    Sender,
    Status,
)
from tillit.inquiries.services import response_days, route
from tillit.organisation.models import Agency, District

AGENCY_TOPICS = (
    ("bestillerkontoret", "Brukerstyrt personlig assistanse (BPA)", 5),
    ("bestillerkontoret", "Vedtak som gjelder flere bydeler", 5),
    ("helseetaten", "Hjelpemidler og velferdsteknologi", 3),
    ("helseetaten", "Smittevern og utbrudd", 1),
    ("sykehjemsetaten", "Korttidsplass og avlastning", 3),
    ("velferdsetaten", "Bolig og økonomisk rådgivning", 7),
)
INQUIRIES = (
    ("visits", "Besøket kom senere enn avtalt", "relative"),
    ("visits", "Ønsker fast tidspunkt for morgenstell", "client"),
    ("care", "Ønsker færre ulike pleiere", "relative"),
    ("care", "Spørsmål om medisinene", "client"),
    ("application", "Spør om status for søknad om mer hjelp", "relative"),
    ("complaint", "Klage på avlyst besøk", "relative"),
    ("devices", "Trygghetsalarmen piper", "client"),
    ("other", "Ny adresse fra neste måned", "client"),
)
ANSWERS = ("Ringt tilbake og avtalt nytt tidspunkt.", "Forklart og sendt brev.",
           "Tatt opp med teamet; endret i planen.")


def build_inquiries(*, seed: int, today: dt.date) -> int:
    rng = random.Random(seed * 6151 + 29)
    central = User.objects.filter(role=Role.CASE_HANDLER, district__isnull=True).first()
    if central is None:
        return 0
    agencies = {a.slug: a for a in Agency.objects.all()}
    points = [ContactPoint(agency=agencies[slug], topic=topic, responsible=central,
                           email=f"{slug}@example.org", answer_days=days)
              for slug, topic, days in AGENCY_TOPICS if slug in agencies]
    managers = {u.district_id: u for u in User.objects.filter(role=Role.DISTRICT_MANAGER)}
    handlers = {u.district_id: u for u in User.objects.filter(role=Role.CASE_HANDLER,
                                                             district__isnull=False)}
    districts = list(District.objects.order_by("number"))
    points += [ContactPoint(district=d, topic="Samarbeid om brukere som flytter mellom bydeler",
                            responsible=managers[d.pk], answer_days=5)
               for d in districts if d.pk in managers]
    points = ContactPoint.objects.bulk_create(points)
    rows = len(points)
    inquiries = []
    for district in districts:
        handler = handlers.get(district.pk)
        if handler is None:
            continue
        clients = list(Client.objects.filter(district=district, team__isnull=False)
                       .select_related("team__unit").order_by("pk")[:400])
        if not clients:
            continue
        backlog = rng.uniform(0.05, 0.45)  # the district's share left open too long
        for _ in range(rng.randrange(8, 20)):
            client = rng.choice(clients)
            topic, summary, sender = rng.choice(INQUIRIES)
            received = today - dt.timedelta(days=rng.randrange(0, 45))
            due = received + dt.timedelta(days=response_days(topic))
            if due >= today:
                status = rng.choice((Status.RECEIVED, Status.IN_PROGRESS, Status.ANSWERED))
            else:
                status = rng.choice((Status.RECEIVED, Status.IN_PROGRESS)) \
                    if rng.random() < backlog else Status.ANSWERED
            answered = status == Status.ANSWERED
            inquiries.append(Inquiry(
                client=client, district=district, unit=route(client, topic), team=client.team,
                sender=sender, sender_name="" if sender == Sender.CLIENT else "Datter",
                channel=rng.choice(("phone", "phone", "email", "letter", "digital")),
                topic=topic, summary=summary, received_on=received, due_on=due, status=status,
                answer=rng.choice(ANSWERS) if answered else "",
                answered_on=min(today, received + dt.timedelta(days=rng.randrange(1, 10)))
                if answered else None,
                registered_by=handler, handled_by=handler if status != Status.RECEIVED else None))
    Inquiry.objects.bulk_create(inquiries, batch_size=1000)
    rows += len(inquiries)
    agency_points = [p for p in points if p.agency_id]
    requests = []
    for district in districts:
        sender = managers.get(district.pk)
        if sender is None or not agency_points:
            continue
        for _ in range(rng.randrange(0, 4)):
            point = rng.choice(agency_points)
            sent = today - dt.timedelta(days=rng.randrange(0, 20))
            answered = rng.random() < 0.6
            requests.append(Request(
                contact_point=point, sender=sender, sender_district=district,
                subject=f"Spørsmål om {point.topic.lower()}",
                text="Hvordan håndterer dere dette for bydelene?", sent_on=sent,
                due_on=sent + dt.timedelta(days=point.answer_days),
                status=Status.ANSWERED if answered else Status.RECEIVED,
                answer="Se rutinen på intranettet; ta kontakt ved behov." if answered else "",
                answered_on=min(today, sent + dt.timedelta(days=2)) if answered else None,
                answered_by=point.responsible if answered else None))
    Request.objects.bulk_create(requests)
    return rows + len(requests)
