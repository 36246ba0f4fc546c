"""Access rules for assistive devices and welfare technology.

- `devices.stock`: every signed-in role sees the central stock per device
  type (no person data).
- `devices.client`: roles with person scope see a client's loans and
  requests (fetched through `visible_to`, logged); others' clients 404.
- `devices.request`: planners, district managers and case handlers request
  a device for a client of their area.
- `devices.handle`: the central device service (city-wide case handlers:
  an agency) lends, installs, services, takes back and rejects.
"""

from __future__ import annotations

import rules

from tillit.access.rules import (
    has_person_scope,
    is_authenticated,
    is_case_handler,
    is_district_manager,
    is_planner,
)


@rules.predicate
def is_city_wide(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.district_id is None)


rules.add_rule("devices.stock", is_authenticated)
rules.add_rule("devices.client", has_person_scope)
rules.add_rule("devices.request", is_planner | is_district_manager | is_case_handler)
rules.add_rule("devices.handle", is_case_handler & is_city_wide)
