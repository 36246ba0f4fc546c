"""The one policy layer: who may see and do what (deny by default).

For a page or API operation:

- declare its policy: `@tillit.access.policy.policy("RULE", object_rule="RULE")`
  (below `@router.get(...)` for API operations); rules live in
  `tillit.access.rules` (or an app's `rules.py`, built from its predicates);
  a view without a policy is refused by `AccessPolicyMiddleware`, an API
  operation without one by the API, and both fail the enumeration test;
- fetch person-level rows only through `tillit.access.scopes`:
  `visible_clients(user)`, `visible_items(user, queryset, client_field=...)`,
  `get_visible_or_404(user, queryset, **lookup)`, `visible_client_or_404(user, id)`,
  or `Model.objects.visible_to(user)` with `tillit.access.querysets.PersonScopedQuerySet`;
  another district's row is the same 404 as a missing one;
- log the read: `tillit.audit.services.record_access(...)`.

Blocks (sperring) and emergency access (break-glass) are applied inside
`visible_clients` / `visible_items`, so every list, page, search, API call and
export that goes through them obeys them. Writes: `tillit.access.services`.
"""
