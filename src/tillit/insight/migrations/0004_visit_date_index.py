"""An index on the planned visits' date, for the trust pilot's daily and
monthly refresh (a day's or month's visits and their reports) without a
scan of every visit. Created here, beside the aggregates that need it, so
the planning app's migrations are left alone; plain SQL that SQLite and
PostgreSQL both read."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0003_pilot_aggregates"),
        ("planning", "0002_plan_settings"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS insight_planning_visit_date ON planning_visit (date)",
            "DROP INDEX IF EXISTS insight_planning_visit_date",
        ),
    ]
