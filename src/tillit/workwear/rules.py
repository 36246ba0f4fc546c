"""Access rules for workwear (staff data, no client data).

- `workwear.read`: the comparison between districts and the central stock:
  district managers, planners, analysts and the system administrator.
- `workwear.district`: one's own district's sizes, issues, orders and
  laundry runs: district managers and planners (others' districts 404).
- `workwear.deliver`: the system administrator delivers orders from the
  central stock (the agreement's administrator).
"""

from __future__ import annotations

import rules

from tillit.access.rules import is_analyst, is_district_manager, is_planner, is_system_admin

rules.add_rule("workwear.read", is_district_manager | is_planner | is_analyst | is_system_admin)
rules.add_rule("workwear.district", is_district_manager | is_planner)
rules.add_rule("workwear.deliver", is_system_admin)
