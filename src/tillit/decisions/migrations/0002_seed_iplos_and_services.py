"""Load the shipped IPLOS variable set and the service types as data."""

from django.db import migrations


def load(apps, schema_editor):
    from tillit.decisions import reference

    reference.load(apps.get_model("decisions", "IplosDefinition"),
                   apps.get_model("decisions", "ServiceType"))


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
