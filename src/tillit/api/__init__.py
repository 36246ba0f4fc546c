"""tillit's REST API, `/api/v1/`, built with django-ninja.

Why django-ninja: request and response shapes are typed pydantic schemas, so
bad input is refused with field errors before our code runs; the OpenAPI
document (`/api/v1/openapi.json`) is generated from the same code, so it
cannot drift from the endpoints; and authentication and our access policy
are declared per operation.

Adding endpoints (colleagues): write a `ninja.Router` in your app's
`api.py`, give every operation a policy with `tillit.access.policy.policy`
placed *below* the route decorator, and register the router in
`tillit/api/api.py` with one line, `api.add_router("", "tillit.APP.api.router")`:

    from ninja import Router
    from tillit.access.policy import policy

    router = Router(tags=["decisions"])

    @router.get("/decisions/{decision_id}", response=DecisionOut)
    @policy("access.list_clients", object_rule="access.view_client")
    def get_decision(request, decision_id: int):
        decision = get_visible_or_404(request.user, Decision.objects.all(), pk=decision_id)
        record_access(actor=request.user, clients=[decision.client_id], what=What.DECISION,
                      interface=Interface.API, request=request)
        return decision

An operation without a policy answers 403 and fails the policy tests.
Authentication is global: a bearer token (`tillit token USERNAME`) or the
browser session (with CSRF for writes); `request.user` is the caller either
way. Raise `Http404`, `PermissionDenied`, Django's `ValidationError`
(422 with field errors) or `tillit.api.errors.Conflict` (409); the handlers
in `tillit.api.errors` turn them into the contract's JSON
`{"detail": ..., "errors": {field: [messages]}}`.
"""
