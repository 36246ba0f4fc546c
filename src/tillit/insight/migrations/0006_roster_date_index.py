"""An index on the roster's date, for the trust pilot's daily refresh (a
day's rostered hours and employees per team) without a scan of every
roster entry (1.4 million a year at Oslo scale). Beside the aggregates that
need it, as 0004's index on the visits' date; plain SQL that SQLite and
PostgreSQL both read."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0005_pilot_client_state"),
        ("planning", "0002_plan_settings"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS insight_planning_rosterentry_date "
            "ON planning_rosterentry (date)",
            "DROP INDEX IF EXISTS insight_planning_rosterentry_date",
        ),
    ]
