"""Access rules of the purchaser office, named for `@policy(...)`.

- `decisions.read`: roles that read decisions at all (case handlers, district
  managers, planners, carers); *which* rows is always
  `Model.objects.visible_to(user)` (tillit.access).
- `decisions.handle`: case handlers register applications, assess, decide
  and reassess; which office may decide a service is
  `services.office_may_decide`.
- `decisions.overrides`: the city-wide count of care-block overrides, an
  aggregate without person data (case handlers and analysts).
- `decisions.assign`: case handlers and district managers give a case to a
  named case handler; which cases is `visible_to(user)`.
- `decisions.statistics`: decisions made per service and outcome (granted,
  partly granted, refused), aggregates only (case handlers and analysts).
"""

from __future__ import annotations

import rules

from tillit.access.rules import (
    has_person_scope,
    is_analyst,
    is_case_handler,
    is_district_manager,
)

rules.add_rule("decisions.read", has_person_scope)
rules.add_rule("decisions.handle", is_case_handler)
rules.add_rule("decisions.overrides", is_case_handler | is_analyst)
rules.add_rule("decisions.statistics", is_case_handler | is_analyst)
rules.add_rule("decisions.assign", is_case_handler | is_district_manager)
