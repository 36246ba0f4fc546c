"""The access rules, as `rules` predicates registered as named permissions.

Views and API operations name one of these in `@policy(...)`. Role-level
rules take the user only; object rules take (user, client) and always go
through `visible_clients`, so a single object obeys the list's logic.
Checked with `rules.test_rule(name, user, obj)`, never `user.has_perm`, so a
superuser flag grants nothing here.
"""

from __future__ import annotations

import rules

from tillit.access import scopes
from tillit.accounts.models import Role


def _role_is(*roles: str):
    names = "_or_".join(roles)

    @rules.predicate(name=f"is_{names}")
    def check(user) -> bool:
        return bool(
            getattr(user, "is_authenticated", False) and user.is_active and user.role in roles
        )

    return check


is_authenticated = rules.predicate(
    lambda user: bool(getattr(user, "is_authenticated", False) and user.is_active),
    name="is_authenticated",
)
is_case_handler = _role_is(Role.CASE_HANDLER)
is_district_manager = _role_is(Role.DISTRICT_MANAGER)
is_planner = _role_is(Role.PLANNER)
is_carer = _role_is(Role.CARER)
is_analyst = _role_is(Role.ANALYST)
is_system_admin = _role_is(Role.SYSTEM_ADMIN)


@rules.predicate
def has_person_scope(user) -> bool:
    return scopes.has_person_scope(user)


@rules.predicate
def is_admin_site_user(user) -> bool:
    """The admin site: system administrators with staff status (or
    superusers, who are configuration accounts too)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return bool(user.is_superuser or (user.is_staff and user.role == Role.SYSTEM_ADMIN))


@rules.predicate
def can_see_client(user, client) -> bool:
    if client is None or not scopes.has_person_scope(user):
        return False
    return scopes.visible_clients(user).filter(pk=client.pk).exists()


@rules.predicate
def in_clients_district(user, client) -> bool:
    return bool(client is not None and user.district_id and user.district_id == client.district_id)


@rules.predicate
def not_named_by_block(user, block) -> bool:
    """The people a block keeps away (by name, team or role) never see or
    lift it, whether it is active, future, ended or lifted."""
    from tillit.access.models import Block

    if block is None:
        return False
    return not Block.objects.filter(pk=block.pk).applying_to(user).exists()


@rules.predicate
def can_see_blocks_client(user, block) -> bool:
    return block is not None and can_see_client(user, block.client)


is_case_handler_or_manager = is_case_handler | is_district_manager
may_break_glass = is_carer | is_planner

# Role level (checked by @policy before the view runs).
rules.add_rule("access.authenticated", is_authenticated)
rules.add_rule("access.admin_site", is_admin_site_user)
rules.add_rule("access.list_clients", has_person_scope)
rules.add_rule("access.view_access_log", is_case_handler_or_manager)
rules.add_rule("access.manage_blocks", is_case_handler_or_manager)
rules.add_rule("access.break_glass", may_break_glass)
rules.add_rule("access.follow_up_break_glass", is_district_manager)
rules.add_rule("access.export_district_access_log", is_district_manager)

# Object level (client): the view fetches through visible_clients, which
# enforces the same.
rules.add_rule("access.view_client", has_person_scope & can_see_client)
rules.add_rule("access.view_client_access_log", is_case_handler_or_manager & can_see_client)
rules.add_rule("access.manage_client_blocks", is_case_handler_or_manager & can_see_client)
# Object level (block): who may see a block and lift it.
rules.add_rule(
    "access.lift_block", is_case_handler_or_manager & can_see_blocks_client & not_named_by_block
)
rules.add_rule("access.see_block", is_case_handler_or_manager & can_see_blocks_client
               & not_named_by_block)
rules.add_rule("access.break_glass_client", may_break_glass & in_clients_district)
rules.add_rule("access.public", rules.always_allow)

# Planning (team leaders / planners and the district manager, in their own
# district; the read service narrows plans to the user's district).
may_plan = is_planner | is_district_manager
rules.add_rule("planning.view_plans", may_plan)
rules.add_rule("planning.replan", may_plan)
# The planner's board, rosters, absences and emergency lists (same roles; the
# views fetch teams within the user's district, so other districts answer 404).
rules.add_rule("planning.board", may_plan)
