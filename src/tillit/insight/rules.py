"""Access rules of the insight pages, named for `@policy(...)`.

- `insight.view`: the city's aggregates (analysts, district managers); no
  person-level data is ever in them.
- `insight.manage_pilot`: district managers register their district's
  pilot sites and record satisfaction surveys for it.
"""

from __future__ import annotations

import rules

from tillit.access.rules import is_analyst, is_district_manager

rules.add_rule("insight.view", is_analyst | is_district_manager)
rules.add_rule("insight.manage_pilot", is_district_manager)
