"""Reference data the purchaser office needs: the IPLOS variable set shipped
in `data/iplos-*.json` and the service types. Loaded one way: `load()`, run
(idempotently) after every migrate and flush by `DecisionsConfig`'s
post_migrate handler (the first data migration calls the same function).
Reads never load anything."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"

SERVICE_TYPES = [
    # code, name, office, target_days, has_visits, letter text
    ("home-nursing", "Hjemmesykepleie", "both", 14, True,
     "Du får hjemmesykepleie: helsehjelp i hjemmet fra sykepleiere og helsefagarbeidere."),
    ("practical-assistance", "Praktisk bistand", "both", 21, True,
     "Du får praktisk bistand: hjelp til daglige gjøremål i og utenfor hjemmet."),
    ("bpa", "Brukerstyrt personlig assistanse (BPA)", "central", None, True,
     "Du får brukerstyrt personlig assistanse (BPA): du styrer selv assistansen innenfor "
     "rammen i vedtaket."),
    ("safety-alarm", "Trygghetsalarm", "both", 7, False,
     "Du får trygghetsalarm: du kan tilkalle hjelp hele døgnet."),
]


def load(iplos_model: Any = None, service_model: Any = None) -> None:
    """Create or update the IPLOS definitions and service types. The models
    may be given (a migration's historical models); by default the app's."""
    if iplos_model is None or service_model is None:
        from tillit.decisions.models import IplosDefinition, ServiceType

        iplos_model, service_model = IplosDefinition, ServiceType
    for path in sorted(DATA.glob("iplos-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        iplos_model.objects.update_or_create(
            version=data["version"], defaults={"title": data["title"], "data": data}
        )
    for order, (code, name, office, target, visits, text) in enumerate(SERVICE_TYPES):
        service_model.objects.get_or_create(code=code, defaults={
            "name": name, "office": office, "target_days": target, "has_visits": visits,
            "letter_text": text, "order": order,
        })


def ensure() -> None:
    from tillit.decisions.models import IplosDefinition, ServiceType

    if not IplosDefinition.objects.exists() or not ServiceType.objects.exists():
        load()
