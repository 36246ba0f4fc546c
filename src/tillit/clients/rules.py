"""Access rules of the client register, named for `@policy(...)`.

- `clients.register`: case handlers register new people (a district case
  handler in their own district, see `services.do_register_client`).
"""

from __future__ import annotations

import rules

from tillit.access.rules import is_case_handler

rules.add_rule("clients.register", is_case_handler)
