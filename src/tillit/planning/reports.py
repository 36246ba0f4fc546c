"""Which visits have reports, and by whom: a registry the day list fills.

Planning must never move or drop a visit a carer has already reported, but
reports live in another app (the day list, `tillit.daylist`). That app
registers its query here in its `AppConfig.ready()`:

    from tillit.planning.reports import set_report_provider
    set_report_provider(lambda visit_ids: {visit_id: {employee_id, ...}, ...})

The provider takes visit pks and returns, for each reported visit among them,
the pks of the employees who reported it. Until a provider is registered no
visit has reports, so `reported_visits` answers an empty mapping. Tests
register their own provider and restore the previous one (the setter returns
it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

ReportProvider = Callable[[list[int]], dict[int, set[int]]]


def no_reports(visit_ids: list[int]) -> dict[int, set[int]]:
    """Before the day list registers its provider there are no reports."""
    return {}


_provider: ReportProvider = no_reports


def set_report_provider(provider: ReportProvider) -> ReportProvider:
    """Register the query for reported visits; returns the previous one."""
    global _provider
    previous, _provider = _provider, provider
    return previous


def reported_visits(visit_ids: Iterable[int]) -> dict[int, set[int]]:
    """Reported visit pk -> pks of the employees who reported it."""
    ids = [int(v) for v in visit_ids]
    if not ids:
        return {}
    return {int(k): {int(e) for e in v} for k, v in _provider(ids).items()}


def reported_visit_ids(visits: Iterable[object]) -> set[int]:
    """The pks among `visits` (Visit objects or pks) that have reports."""
    ids = [int(getattr(v, "pk", v)) for v in visits]  # type: ignore[call-overload]
    return set(reported_visits(ids))
