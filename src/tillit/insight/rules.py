"""Access rules of the insight pages, named for `@policy(...)`.

- `insight.view`: the city's aggregates (analysts, district managers); no
  person-level data is ever in them.
- `insight.manage_pilot`: district managers register their district's
  pilot sites.
- `insight.record_survey`: district managers, team leaders (planners) and
  carers record a client's anonymous satisfaction survey for their own
  district (the answer names no client, so there is no person-level read).
"""

from __future__ import annotations

import rules

from tillit.access.rules import is_analyst, is_carer, is_district_manager, is_planner

rules.add_rule("insight.view", is_analyst | is_district_manager)
rules.add_rule("insight.manage_pilot", is_district_manager)
rules.add_rule("insight.record_survey", is_district_manager | is_planner | is_carer)
