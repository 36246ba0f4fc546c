"""Changes of who may see what, under a two-person rule.

The system administrator keeps the configuration, not clinical content. A
change of a user's role, district or admin-site access is asked for by one
administrator (`do_request_access_change`) and carried out only when a
second one, neither the asker nor the user changed, approves it
(`do_approve_access_change`). Password resets happen outside the admin, on
the server (`tillit manage reset_password`). Every step is an
`AccessChange` row and a line in the security log.
"""

from __future__ import annotations

import logging
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.accounts.models import AccessChange, Role, User

logger = logging.getLogger("tillit.security")


def may_administer(user: User) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active
        and (user.is_superuser or (user.is_staff and user.role == Role.SYSTEM_ADMIN))
    )


def _snapshot(user: User) -> dict[str, object]:
    return {"role": user.role, "district": user.district_id, "is_staff": user.is_staff}


@transaction.atomic
def do_request_access_change(
    *, by: User, user: User, role: str, district=None, is_staff: bool = False, note: str = ""
) -> AccessChange:
    if not may_administer(by):
        raise PermissionDenied
    if role and role not in Role.values:
        raise ValidationError({"role": [_("Unknown role.")]})
    change = AccessChange(
        kind=AccessChange.Kind.ROLE, user=user, role=role, district=district,
        is_staff=is_staff, note=note.strip(), previous=_snapshot(user), requested_by=by,
    )
    change.full_clean()  # a district role needs a district, a city-wide one none
    change.save()
    logger.warning("access change %s asked for by %s: %s → role %r, district %s, staff %s",
                   change.pk, by.get_username(), user.get_username(), role,
                   getattr(district, "pk", None), is_staff)
    return change


@transaction.atomic
def do_approve_access_change(*, by: User, change: AccessChange) -> AccessChange:
    """The second person: neither the asker nor the user whose access
    changes. A new role that reads person data drops the password the asker
    may know: the user logs in through the identity provider or gets a new
    password from `reset_password` on the server."""
    change = AccessChange.objects.select_for_update().get(pk=change.pk)
    if not may_administer(by):
        raise PermissionDenied
    if change.state != AccessChange.State.PENDING:
        raise ValidationError(_("This change has already been decided."))
    if by.pk in {change.requested_by_id, change.user_id}:
        raise PermissionDenied(_("A second administrator must approve this change."))
    user = User.objects.select_for_update().get(pk=change.user_id)
    user.role, user.district, user.is_staff = change.role, change.district, change.is_staff
    user.full_clean(exclude=["password"])
    from tillit.access.scopes import has_person_scope

    if has_person_scope(user) and user.role != change.previous.get("role"):
        user.set_unusable_password()
    user.save()
    change.state = AccessChange.State.APPROVED
    change.decided_by, change.decided_at = by, timezone.now()
    change.save(update_fields=["state", "decided_by", "decided_at"])
    logger.warning("access change %s approved by %s", change.pk, by.get_username())
    return change


@transaction.atomic
def do_reject_access_change(*, by: User, change: AccessChange) -> AccessChange:
    change = AccessChange.objects.select_for_update().get(pk=change.pk)
    if not may_administer(by):
        raise PermissionDenied
    if change.state != AccessChange.State.PENDING:
        raise ValidationError(_("This change has already been decided."))
    change.state = AccessChange.State.REJECTED
    change.decided_by, change.decided_at = by, timezone.now()
    change.save(update_fields=["state", "decided_by", "decided_at"])
    logger.warning("access change %s rejected by %s", change.pk, by.get_username())
    return change


@transaction.atomic
def do_reset_password(*, user: User, operator: str, note: str = "") -> str:
    """A new random password for `user`, returned once; done on the server
    (not in the admin), logged with who ran it."""
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save(update_fields=["password"])
    AccessChange.objects.create(
        kind=AccessChange.Kind.PASSWORD, user=user, role=user.role, district=user.district,
        is_staff=user.is_staff, note=f"{operator}: {note}".strip(": "),
        previous=_snapshot(user), state=AccessChange.State.DONE, decided_at=timezone.now(),
    )
    logger.warning("password of %s reset on the server by %s", user.get_username(), operator)
    return password
