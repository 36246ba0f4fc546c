"""The read log's chain is keyed (issue #10, finding 10): someone with a
copy of the database who edits a row and recomputes the chain, by the
published recipe but without the key, is caught; the key rotates, with old
rows verifying under the key they name."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import call_command
from django.db import connection

from tillit.audit.models import AccessOperation, AccessRecord, ChainHead, Interface, What
from tillit.audit.services import GENESIS, _iso, record_access, verify_chain

pytestmark = pytest.mark.django_db


def payload(op: AccessOperation, ids: list[int]) -> str:
    content = {
        "actor": op.actor_id, "username": op.actor_username, "name": op.actor_name,
        "role": op.actor_role, "district": op.actor_district, "what": op.what,
        "interface": op.interface, "path": op.path, "server_time": _iso(op.server_time),
        "device_time": _iso(op.device_time), "count": op.client_count, "clients": ids,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def forge(recompute) -> None:
    """Edit the first operation and rewrite every hash and link after it,
    as someone holding the database (and the code) would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        first = AccessOperation.objects.order_by("id").first()
        cursor.execute("UPDATE audit_accessoperation SET actor_username = 'someone-else' "
                       "WHERE id = %s", [first.pk])
        previous = GENESIS
        for op in AccessOperation.objects.order_by("id"):
            ids = sorted(AccessRecord.objects.filter(operation=op).values_list("client_id",
                                                                              flat=True))
            op.previous_hash = previous
            digest = recompute(op, ids)
            cursor.execute("UPDATE audit_accessoperation SET previous_hash = %s, "
                           "content_hash = %s WHERE id = %s", [previous, digest, op.pk])
            previous = digest
        cursor.execute("UPDATE audit_chainhead SET last_hash = %s", [previous])
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def reads(user, clients) -> None:
    for client in clients:
        record_access(actor=user, clients=[client], what=What.RECORD, interface=Interface.PAGE)


@pytest.mark.parametrize("recipe", ["sha256", "hmac-with-a-guessed-key"])
def test_an_edited_and_recomputed_chain_fails_without_the_key(
    leder_sagene, make_client, recipe, capsys
) -> None:
    import hmac

    reads(leder_sagene, [make_client("sagene") for _ in range(3)])
    assert verify_chain().ok

    def recompute(op: AccessOperation, ids: list[int]) -> str:
        if recipe == "sha256":  # the chain as it was before it had a key
            return hashlib.sha256((op.previous_hash + payload(op, ids)).encode()).hexdigest()
        text = op.previous_hash + op.key_id + payload(op, ids)
        return hmac.new(b"not-the-key-" * 4, text.encode(), hashlib.sha256).hexdigest()

    forge(recompute)
    result = verify_chain()
    assert not result.ok and result.first_bad_id == AccessOperation.objects.first().pk
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_access_log")
    assert exit_.value.code == 1
    assert "tampered" in capsys.readouterr().err


def test_with_the_key_the_recomputed_chain_would_pass(leder_sagene, make_client,
                                                      settings) -> None:
    """The control: the same forgery with the real key passes, so it is the
    key, kept outside the database, that the chain's strength rests on."""
    import hmac

    reads(leder_sagene, [make_client("sagene") for _ in range(2)])
    key = settings.TILLIT_AUDIT_KEYS[settings.TILLIT_AUDIT_KEY_ID].encode()
    forge(lambda op, ids: hmac.new(
        key, (op.previous_hash + op.key_id + payload(op, ids)).encode(), hashlib.sha256
    ).hexdigest())
    assert verify_chain().ok


def test_rotation_old_rows_verify_with_their_key(leder_sagene, make_client,
                                                 settings, capsys) -> None:
    old = {"k1": "a" * 40}
    settings.TILLIT_AUDIT_KEYS = dict(old)
    settings.TILLIT_AUDIT_KEY_ID = "k1"
    reads(leder_sagene, [make_client("sagene")])
    settings.TILLIT_AUDIT_KEYS = {**old, "k2": "b" * 40}
    settings.TILLIT_AUDIT_KEY_ID = "k2"
    reads(leder_sagene, [make_client("sagene")])
    assert list(AccessOperation.objects.values_list("key_id", flat=True)) == ["k1", "k2"]
    assert verify_chain().ok
    call_command("verify_access_log")
    assert "2 operations checked" in capsys.readouterr().out
    settings.TILLIT_AUDIT_KEYS = {"k2": "b" * 40}  # the old key thrown away
    result = verify_chain()
    assert not result.ok and "unknown key" in result.reason
    assert ChainHead.objects.get().length == 2
