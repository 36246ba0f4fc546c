"""The defaults of `tillit.core.staffing.StaffingParams` as the pages show
them, each with where it comes from (the sources are the union's letter on
needs-based staffing and SV's proposal in bystyresak 301, 12.11.2014)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tillit.core.staffing import DEFAULTS


def _percent(value: float) -> str:
    return f"{value * 100:g} %"


SOURCES = [
    (_("Direct care share"), _percent(DEFAULTS.direct_care_share),
     _("Oslo's fixed expected direct client time in home care; in practice nearer 60 % after "
       "office staffing and leadership (SV's proposal, bystyresak 301, 12.11.2014).")),
    (_("Hours in one FTE"), f"{DEFAULTS.fte_hours_per_week:g}".replace(".", ","),
     _("One full-time position in Oslo municipality, 37.5 hours a week.")),
    (_("Caseload norm"), str(DEFAULTS.caseload_norm),
     _("BOB: a nurse in home care may be responsible for 25 clients (the same proposal, "
       "which calls it too high).")),
    (_("Absence buffer"), _percent(DEFAULTS.absence_buffer),
     _("tillit's assumption: the sources only say sickness absence must be allowed for.")),
    (_("Nurse follow-up per care situation"), _("see the table"),
     _("tillit's assumption: no source gives minutes per situation.")),
]
