"""Access rules of day lists, reports, care plans and revision proposals.

- `daylist.own`: carers read their own day list and report their visits.
- `daylist.team`: team leaders (planners) and district managers follow
  their district's shifts.
- `daylist.care_plan`: carers, planners and managers write care plans;
  case handlers read them too (which clients: `visible_clients`).
- `daylist.frame`: the team (carers, planners, managers) changes visits
  within the frame and raises proposals outside it.
- `daylist.proposals`: case handlers work the revision proposals.
"""

from __future__ import annotations

import rules

from tillit.access.rules import (
    has_person_scope,
    is_carer,
    is_case_handler,
    is_district_manager,
    is_planner,
)

team = is_carer | is_planner | is_district_manager

rules.add_rule("daylist.own", is_carer)
rules.add_rule("daylist.team", is_planner | is_district_manager)
rules.add_rule("daylist.care_plan", has_person_scope)
rules.add_rule("daylist.write_care_plan", team)
rules.add_rule("daylist.frame", team)
rules.add_rule("daylist.proposals", is_case_handler)
