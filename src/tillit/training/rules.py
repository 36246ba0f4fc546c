"""Access rules for training and competence, named for `@policy(...)`.

- `training.read`: every signed-in role reads the course catalogue and the
  onboarding programmes.
- `training.coverage`: coverage per district (aggregates, no names):
  district managers, planners, analysts.
- `training.staff`: one's own district's employees, their completions and
  gaps; recording a completion. District managers and planners (team
  leaders); which employees is `services.employees_visible_to` (others 404).
- `training.own`: a carer's own completions.
The system administrator maintains courses and programmes on the admin site.
"""

from __future__ import annotations

import rules

from tillit.access.rules import (
    is_analyst,
    is_authenticated,
    is_carer,
    is_district_manager,
    is_planner,
)

rules.add_rule("training.read", is_authenticated)
rules.add_rule("training.coverage", is_district_manager | is_planner | is_analyst)
rules.add_rule("training.staff", is_district_manager | is_planner)
rules.add_rule("training.own", is_carer)
