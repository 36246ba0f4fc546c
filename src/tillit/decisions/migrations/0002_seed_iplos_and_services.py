"""Load the shipped IPLOS variable set and the service types as data."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"

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


def load(apps, schema_editor):
    IplosDefinition = apps.get_model("decisions", "IplosDefinition")
    ServiceType = apps.get_model("decisions", "ServiceType")
    for path in sorted(DATA.glob("iplos-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        IplosDefinition.objects.update_or_create(
            version=data["version"], defaults={"title": data["title"], "data": data}
        )
    for order, (code, name, office, target, visits, text) in enumerate(SERVICE_TYPES):
        ServiceType.objects.update_or_create(code=code, defaults={
            "name": name, "office": office, "target_days": target, "has_visits": visits,
            "letter_text": text, "order": order,
        })


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
