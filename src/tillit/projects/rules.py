"""Access rules for the project register (no person data).

- `projects.read`: every signed-in role searches the register, so that what
  one district learns reaches the others.
- `projects.register`: district managers, planners and case handlers (a
  city-wide case handler for an agency) register projects and pilots; who
  may edit one is `services.may_edit` (the registrant, the district's
  manager, agency staff for an agency's project).
"""

from __future__ import annotations

import rules

from tillit.access.rules import is_authenticated, is_case_handler, is_district_manager, is_planner

rules.add_rule("projects.read", is_authenticated)
rules.add_rule("projects.register", is_district_manager | is_planner | is_case_handler)
