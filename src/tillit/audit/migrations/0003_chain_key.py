"""The access log's chain becomes keyed (HMAC-SHA256, key outside the
database). Rows written before are sealed once: the unkeyed chain is
verified first (the migration stops if it is broken: nothing is re-keyed
over tampering), then every row's hash is recomputed with the current key,
in order, so the whole log verifies with the key from here on."""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models

GENESIS = "0" * 64
TABLES = ("audit_accessoperation",)


def _payload(op, ids):
    def iso(value):
        import datetime as dt

        return value.astimezone(dt.UTC).isoformat() if value else None

    content = {
        "actor": op.actor_id, "username": op.actor_username, "name": op.actor_name,
        "role": op.actor_role, "district": op.actor_district, "what": op.what,
        "interface": op.interface, "path": op.path, "server_time": iso(op.server_time),
        "device_time": iso(op.device_time), "count": op.client_count, "clients": ids,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def seal(apps, schema_editor):
    operation_model = apps.get_model("audit", "AccessOperation")
    record_model = apps.get_model("audit", "AccessRecord")
    head_model = apps.get_model("audit", "ChainHead")
    operations = list(operation_model.objects.order_by("id"))
    if not operations:
        return
    key_id = settings.TILLIT_AUDIT_KEY_ID
    key = settings.TILLIT_AUDIT_KEYS[key_id].encode()
    records = {}
    for op_id, client_id in record_model.objects.values_list("operation_id", "client_id"):
        records.setdefault(op_id, []).append(client_id)
    previous = GENESIS
    for op in operations:  # the old, unkeyed chain must hold
        ids = sorted(records.get(op.id, []))
        digest = hashlib.sha256((op.previous_hash + _payload(op, ids)).encode()).hexdigest()
        if op.previous_hash != previous or digest != op.content_hash:
            raise RuntimeError(
                f"The access log is broken at operation {op.id}: not re-keyed. "
                "Investigate before migrating."
            )
        previous = op.content_hash
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE audit_accessoperation DISABLE TRIGGER audit_accessoperation_append_only"
        )
    previous = GENESIS
    for op in operations:
        ids = sorted(records.get(op.id, []))
        message = (previous + key_id + _payload(op, ids)).encode()
        digest = hmac.new(key, message, hashlib.sha256).hexdigest()
        operation_model.objects.filter(pk=op.pk).update(
            previous_hash=previous, content_hash=digest, key_id=key_id
        )
        previous = digest
    head_model.objects.filter(pk=1).update(last_hash=previous)
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE audit_accessoperation ENABLE TRIGGER audit_accessoperation_append_only"
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="accessoperation",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=40),
        ),
        migrations.RunPython(seal, migrations.RunPython.noop),
    ]
