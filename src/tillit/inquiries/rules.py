"""Access rules for the intake, named for `@policy(...)`.

- `inquiries.read`: roles with person scope read inquiries; *which* is
  `Inquiry.objects.visible_to(user)` (the client's district, the client's
  team, a carer's own day lists); others' answer 404; every read is logged.
- `inquiries.register`: case handlers, planners and district managers
  register, forward and answer inquiries (carers pass them on to them).
  The analyst and the system administrator see no inquiry.
- `inquiries.requests`: every employee finds contact points and sends
  requests to districts and agencies; the contact point's responsible (and
  the district manager for a district's contact point) answers.
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

rules.add_rule("inquiries.read", has_person_scope)
rules.add_rule("inquiries.register", is_case_handler | is_planner | is_district_manager)
rules.add_rule("inquiries.requests", is_authenticated)
