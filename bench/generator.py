"""Seeded generator of realistic Oslo home-care day instances.

`generate_instance(visits, seed, district=..., shift=...)` returns a dict in the
`tillit.planning-instance/1` format (`src/tillit/core/planner/spec/planning-format.md`). Pure Python,
no Django, no file access: the district borders (simplified from
oslo-districts.geojson, oslokommune/bydelsfakta, MIT) and a few neighbourhood
anchors per district are embedded below.

What it models (reference figures from design.md and Oslo practice):

- clients clustered around neighbourhood anchors inside the district's border;
  each client gets one to five visits in the shift from care templates
  (morning care, insulin followed by a meal via `after`, medication, wound
  care, catheter, meals, practical help, supervision), guiding minutes 10-60,
  windows mostly 1-3 h wide;
- competence mix of visits about 50 % assistant, 30 % health worker, 20 % nurse;
  skills (insulin, medication, wound_care, catheter, compression);
- about 4 % two-person visits (lifts), about 3 % mandatory visits (insulin and
  medication), primary contacts (`preferred_staff`) for about 85 % of clients;
- staff on 07:30-15:00 (day) or 15:00-22:30 (evening) shifts, a 30-minute break
  inside 11:00-13:00 (day) or 18:00-20:00 (evening), travelling on foot, by
  bike or by car (more cars in the outer districts), starting and ending at
  their team's base; staff count sized so that direct care time is
  `staff_utilisation` of paid time.

The same arguments always give the same instance (the random generator is
seeded from all of them).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DISTRICTS", "SHIFTS", "generate_instance"]

# fmt: off
_POLYGONS: dict[str, tuple[tuple[float, float], ...]] = {
    "gamle-oslo": (
        (59.90793, 10.81677), (59.90595, 10.80300), (59.90046, 10.78923), (59.90033, 10.76356), (59.89722, 10.76024),
        (59.89351, 10.76013), (59.89604, 10.75612), (59.89493, 10.74931), (59.89093, 10.75170), (59.87704, 10.72622),
        (59.87593, 10.68896), (59.88366, 10.66083), (59.89822, 10.70675), (59.90055, 10.70782), (59.90235, 10.72525),
        (59.89967, 10.74644), (59.90437, 10.75346), (59.91685, 10.76175), (59.91779, 10.75917), (59.91855, 10.76161),
        (59.91508, 10.76975), (59.91807, 10.77526), (59.91544, 10.77678), (59.92263, 10.80766), (59.91738, 10.81110),
        (59.91647, 10.80892), (59.91346, 10.81392), (59.91065, 10.81268), (59.90793, 10.81677),
    ),
    "grunerlokka": (
        (59.92263, 10.80766), (59.91544, 10.77678), (59.91807, 10.77526), (59.91508, 10.76975), (59.91855, 10.76161),
        (59.91779, 10.75917), (59.91685, 10.76175), (59.91348, 10.75814), (59.91448, 10.75317), (59.91607, 10.75700),
        (59.91964, 10.74799), (59.92123, 10.75114), (59.92817, 10.74973), (59.92850, 10.76108), (59.93192, 10.76226),
        (59.92959, 10.76861), (59.93756, 10.78483), (59.92913, 10.80570), (59.92897, 10.80194), (59.92728, 10.80222),
        (59.92263, 10.80766),
    ),
    "sagene": (
        (59.93657, 10.78250), (59.92959, 10.76861), (59.93192, 10.76226), (59.92850, 10.76108), (59.92817, 10.74973),
        (59.94058, 10.75019), (59.94394, 10.74824), (59.94786, 10.77467), (59.94592, 10.77821), (59.93657, 10.78250),
    ),
    "st-hanshaugen": (
        (59.94081, 10.75007), (59.93075, 10.74891), (59.92123, 10.75114), (59.91964, 10.74799), (59.91607, 10.75700),
        (59.91287, 10.74778), (59.91446, 10.74154), (59.92106, 10.73274), (59.92790, 10.72823), (59.93500, 10.71555),
        (59.93792, 10.73119), (59.94298, 10.74070), (59.94081, 10.75007),
    ),
    "frogner": (
        (59.93500, 10.71555), (59.92790, 10.72823), (59.92008, 10.73537), (59.91728, 10.73216), (59.92031, 10.72789),
        (59.91697, 10.72296), (59.91527, 10.72258), (59.91528, 10.72771), (59.91249, 10.72507), (59.91193, 10.73183),
        (59.90218, 10.72648), (59.90055, 10.70782), (59.89767, 10.70518), (59.88441, 10.65808), (59.90978, 10.64624),
        (59.92035, 10.67860), (59.91804, 10.68729), (59.92093, 10.68971), (59.92657, 10.70454), (59.93227, 10.70934),
        (59.93500, 10.71555),
    ),
    "ullern": (
        (59.93147, 10.70866), (59.92657, 10.70454), (59.92093, 10.68971), (59.91804, 10.68729), (59.92035, 10.67860),
        (59.90978, 10.64624), (59.91401, 10.64010), (59.91444, 10.63335), (59.91743, 10.63423), (59.91817, 10.63037),
        (59.92159, 10.62970), (59.92350, 10.62533), (59.92518, 10.62747), (59.92709, 10.62543), (59.92963, 10.62647),
        (59.93579, 10.63532), (59.93959, 10.63177), (59.93645, 10.65615), (59.94174, 10.67393), (59.93147, 10.70866),
    ),
    "vestre-aker": (
        (59.95762, 10.71549), (59.94627, 10.71155), (59.94583, 10.71753), (59.94074, 10.71436), (59.94001, 10.71726),
        (59.93147, 10.70866), (59.94174, 10.67393), (59.93645, 10.65615), (59.93711, 10.64037), (59.93933, 10.64011),
        (59.93959, 10.63177), (59.94537, 10.63584), (59.95324, 10.63399), (59.96869, 10.61920), (59.97126, 10.64411),
        (59.97782, 10.64505), (59.98510, 10.65179), (59.98452, 10.65479), (59.98188, 10.65436), (59.98029, 10.66402),
        (59.97198, 10.67390), (59.96767, 10.66997), (59.96872, 10.66305), (59.96375, 10.66177), (59.96409, 10.66633),
        (59.96211, 10.66505), (59.96114, 10.68607), (59.96594, 10.69333), (59.96241, 10.69919), (59.96073, 10.69873),
        (59.96354, 10.71097), (59.95722, 10.71086), (59.95762, 10.71549),
    ),
    "nordre-aker": (
        (59.94781, 10.80425), (59.94116, 10.79976), (59.93657, 10.78250), (59.94690, 10.77752), (59.94819, 10.77220),
        (59.94446, 10.74840), (59.94081, 10.75007), (59.94298, 10.74070), (59.93792, 10.73119), (59.93500, 10.71555),
        (59.94001, 10.71726), (59.94074, 10.71436), (59.94583, 10.71753), (59.94627, 10.71155), (59.95762, 10.71549),
        (59.96080, 10.72114), (59.96793, 10.72192), (59.97227, 10.73163), (59.96713, 10.73417), (59.96521, 10.74110),
        (59.96842, 10.74565), (59.96499, 10.75330), (59.96533, 10.76391), (59.96980, 10.77142), (59.97050, 10.79049),
        (59.96874, 10.79013), (59.97060, 10.79639), (59.96788, 10.79904), (59.96314, 10.79752), (59.96263, 10.79926),
        (59.95448, 10.79928), (59.95267, 10.79719), (59.94781, 10.80425),
    ),
    "bjerke": (
        (59.95092, 10.84739), (59.94904, 10.85480), (59.95101, 10.86072), (59.94580, 10.86299), (59.94015, 10.85814),
        (59.93533, 10.83775), (59.93031, 10.83394), (59.92367, 10.83370), (59.92263, 10.80766), (59.92728, 10.80222),
        (59.92897, 10.80194), (59.92913, 10.80570), (59.93756, 10.78483), (59.94116, 10.79976), (59.94455, 10.80341),
        (59.94751, 10.80231), (59.95033, 10.81514), (59.96031, 10.81524), (59.95515, 10.81904), (59.95436, 10.82396),
        (59.95242, 10.82304), (59.95041, 10.83147), (59.94799, 10.82979), (59.94525, 10.83146), (59.94664, 10.84098),
        (59.94945, 10.84188), (59.95092, 10.84739),
    ),
    "grorud": (
        (59.98372, 10.92565), (59.97622, 10.92808), (59.96122, 10.89708), (59.95735, 10.89341), (59.95448, 10.89320),
        (59.95440, 10.89614), (59.94818, 10.88484), (59.94015, 10.85814), (59.94580, 10.86299), (59.94971, 10.86225),
        (59.95092, 10.84739), (59.95652, 10.84688), (59.95566, 10.85640), (59.95758, 10.85678), (59.95905, 10.86350),
        (59.96295, 10.86345), (59.96684, 10.85970), (59.96757, 10.86684), (59.97013, 10.86721), (59.97170, 10.87418),
        (59.97277, 10.86779), (59.97689, 10.86958), (59.97702, 10.87474), (59.97197, 10.87450), (59.97055, 10.87758),
        (59.97314, 10.87934), (59.96321, 10.88557), (59.96202, 10.88914), (59.96983, 10.88973), (59.97311, 10.90671),
        (59.97810, 10.91132), (59.97522, 10.91326), (59.97925, 10.91766), (59.98398, 10.91629), (59.98372, 10.92565),
    ),
    "stovner": (
        (59.93635, 10.93152), (59.93961, 10.92511), (59.93961, 10.90308), (59.94101, 10.90479), (59.94508, 10.89957),
        (59.94577, 10.90452), (59.94816, 10.90277), (59.95111, 10.90966), (59.95367, 10.89507), (59.95735, 10.89341),
        (59.96474, 10.90279), (59.97622, 10.92808), (59.97965, 10.92853), (59.97003, 10.93734), (59.96086, 10.93748),
        (59.95440, 10.94134), (59.94924, 10.95139), (59.94704, 10.94260), (59.94317, 10.94599), (59.93635, 10.93152),
    ),
    "alna": (
        (59.93635, 10.93152), (59.92909, 10.92368), (59.92881, 10.91402), (59.93527, 10.90583), (59.93237, 10.89168),
        (59.92806, 10.88718), (59.92773, 10.88296), (59.92073, 10.88050), (59.92166, 10.87045), (59.91750, 10.86218),
        (59.91462, 10.86053), (59.90907, 10.86536), (59.90852, 10.85657), (59.91358, 10.84359), (59.91055, 10.83382),
        (59.91226, 10.82664), (59.90793, 10.81677), (59.91065, 10.81268), (59.91346, 10.81392), (59.91647, 10.80892),
        (59.91738, 10.81110), (59.92263, 10.80766), (59.92367, 10.83370), (59.93031, 10.83394), (59.93656, 10.83969),
        (59.94388, 10.87151), (59.95372, 10.89546), (59.95111, 10.90966), (59.94816, 10.90277), (59.94577, 10.90452),
        (59.94508, 10.89957), (59.94101, 10.90479), (59.93961, 10.90308), (59.93961, 10.92511), (59.93635, 10.93152),
    ),
    "ostensjo": (
        (59.91104, 10.84689), (59.91195, 10.85147), (59.90755, 10.85679), (59.90542, 10.85602), (59.90548, 10.85246),
        (59.89852, 10.85303), (59.89336, 10.85806), (59.88863, 10.85671), (59.88634, 10.85863), (59.88377, 10.85566),
        (59.87646, 10.85694), (59.87577, 10.84915), (59.87320, 10.84880), (59.87285, 10.85226), (59.86721, 10.84409),
        (59.86251, 10.84306), (59.86194, 10.83075), (59.86991, 10.82867), (59.89002, 10.80519), (59.89875, 10.80480),
        (59.90414, 10.79881), (59.90866, 10.82048), (59.91226, 10.82664), (59.91055, 10.83382), (59.91358, 10.84359),
        (59.91104, 10.84689),
    ),
    "nordstrand": (
        (59.89961, 10.80368), (59.89002, 10.80519), (59.86976, 10.82880), (59.85997, 10.83093), (59.85911, 10.82089),
        (59.85607, 10.82240), (59.85700, 10.81836), (59.85179, 10.81986), (59.85025, 10.81616), (59.84877, 10.80194),
        (59.84603, 10.80294), (59.84271, 10.79942), (59.84303, 10.79561), (59.84665, 10.79513), (59.84896, 10.79817),
        (59.84889, 10.79411), (59.83831, 10.77941), (59.84266, 10.77371), (59.84396, 10.74242), (59.87718, 10.73101),
        (59.87704, 10.72622), (59.89093, 10.75170), (59.89493, 10.74931), (59.89604, 10.75612), (59.89351, 10.76013),
        (59.89722, 10.76024), (59.90033, 10.76356), (59.89987, 10.78382), (59.90342, 10.79971), (59.89961, 10.80368),
    ),
    "sondre-nordstrand": (
        (59.81765, 10.89036), (59.81101, 10.88001), (59.81322, 10.86967), (59.80931, 10.85630), (59.81192, 10.84791),
        (59.81688, 10.84593), (59.81812, 10.81728), (59.82536, 10.81246), (59.82298, 10.79845), (59.82624, 10.77752),
        (59.82351, 10.77155), (59.82954, 10.76479), (59.83928, 10.74402), (59.84396, 10.74242), (59.84266, 10.77371),
        (59.83831, 10.77941), (59.84893, 10.79421), (59.84896, 10.79817), (59.84665, 10.79513), (59.84241, 10.79595),
        (59.84261, 10.79866), (59.84494, 10.80239), (59.84877, 10.80194), (59.85179, 10.81986), (59.85624, 10.81788),
        (59.85607, 10.82240), (59.85943, 10.82150), (59.86320, 10.84813), (59.85131, 10.84563), (59.84639, 10.84837),
        (59.83419, 10.84706), (59.83420, 10.87030), (59.82909, 10.87101), (59.82759, 10.87471), (59.82688, 10.87122),
        (59.82408, 10.87148), (59.82033, 10.87539), (59.81765, 10.89036),
    ),
}

_ANCHORS: dict[str, tuple[tuple[float, float], ...]] = {
    "gamle-oslo": (
        (59.9124, 10.7628), (59.9115, 10.7775), (59.9122, 10.7813), (59.9080, 10.7880), (59.9140, 10.7960),
        (59.9101, 10.8048), (59.9050, 10.7690), (59.9057, 10.7949),
    ),
    "grunerlokka": (
        (59.9230, 10.7590), (59.9212, 10.7719), (59.9226, 10.7655), (59.9260, 10.7790), (59.9290, 10.7930),
        (59.9287, 10.7975), (59.9317, 10.7823),
    ),
    "sagene": (
        (59.9380, 10.7560), (59.9352, 10.7657), (59.9400, 10.7620), (59.9370, 10.7700), (59.9329, 10.7536),
    ),
    "st-hanshaugen": (
        (59.9270, 10.7410), (59.9257, 10.7350), (59.9310, 10.7330), (59.9330, 10.7450), (59.9319, 10.7293),
    ),
    "frogner": (
        (59.9290, 10.7150), (59.9210, 10.7070), (59.9140, 10.7090), (59.9050, 10.6850), (59.9230, 10.7220),
    ),
    "ullern": (
        (59.9260, 10.6570), (59.9241, 10.6802), (59.9157, 10.6440), (59.9356, 10.6663), (59.9200, 10.6560),
    ),
    "vestre-aker": (
        (59.9430, 10.7050), (59.9470, 10.6420), (59.9520, 10.6950), (59.9584, 10.6715), (59.9412, 10.6519),
        (59.9550, 10.6570),
    ),
    "nordre-aker": (
        (59.9421, 10.7296), (59.9520, 10.7510), (59.9509, 10.7644), (59.9600, 10.7380), (59.9640, 10.7820),
        (59.9520, 10.7790),
    ),
    "bjerke": (
        (59.9287, 10.8097), (59.9460, 10.8200), (59.9399, 10.8375), (59.9450, 10.8480), (59.9340, 10.8240),
    ),
    "grorud": (
        (59.9610, 10.8800), (59.9580, 10.8700), (59.9639, 10.8941), (59.9491, 10.8662), (59.9540, 10.8780),
    ),
    "stovner": (
        (59.9620, 10.9230), (59.9710, 10.9260), (59.9520, 10.9160), (59.9558, 10.9366), (59.9629, 10.9093),
    ),
    "alna": (
        (59.9410, 10.8930), (59.9220, 10.8550), (59.9280, 10.8630), (59.9331, 10.8849), (59.9170, 10.8396),
        (59.9147, 10.8346), (59.9359, 10.9154),
    ),
    "ostensjo": (
        (59.8840, 10.8460), (59.8930, 10.8390), (59.8980, 10.8130), (59.8760, 10.8370), (59.8680, 10.8370),
        (59.8980, 10.8230),
    ),
    "nordstrand": (
        (59.8680, 10.7930), (59.8740, 10.8080), (59.8540, 10.7860), (59.8950, 10.7700), (59.8940, 10.7850),
    ),
    "sondre-nordstrand": (
        (59.8360, 10.7960), (59.8490, 10.8290), (59.8300, 10.8220), (59.8426, 10.8057), (59.8407, 10.8040),
    ),
}
# fmt: on

DISTRICTS: tuple[str, ...] = tuple(_ANCHORS)
_INNER = {"gamle-oslo", "grunerlokka", "sagene", "st-hanshaugen", "frogner"}
_DEFAULT_OBJECTIVE: dict[str, float | None] = {
    "travel_minute": 1,
    "non_preferred_visit": 10,
    "unassigned_visit": 1000,
    "overtime_minute": None,
    "late_minute": None,
}
COMPETENCES = ("assistant", "health_worker", "nurse")
_LEVEL = {c: i for i, c in enumerate(COMPETENCES)}
_ALL_SKILLS = ("insulin", "medication", "wound_care", "catheter", "compression")


@dataclass(frozen=True)
class _Shift:
    start: int  # minutes after midnight
    end: int
    break_window: tuple[int, int]
    break_minutes: int
    # task -> (earliest window opening, latest window opening)
    opens: dict[str, tuple[int, int]]


def _hm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


SHIFTS: dict[str, _Shift] = {
    "day": _Shift(
        start=_hm("07:30"),
        end=_hm("15:00"),
        break_window=(_hm("11:00"), _hm("13:00")),
        break_minutes=30,
        opens={
            "care": (_hm("07:30"), _hm("09:30")),
            "insulin": (_hm("07:30"), _hm("08:30")),
            "meal": (_hm("11:00"), _hm("12:30")),
            "medication": (_hm("08:00"), _hm("12:30")),
            "wound_care": (_hm("08:30"), _hm("11:30")),
            "catheter": (_hm("08:30"), _hm("11:30")),
            "stockings": (_hm("07:30"), _hm("09:00")),
            "practical": (_hm("09:00"), _hm("11:30")),
            "supervision": (_hm("09:00"), _hm("13:00")),
            "assessment": (_hm("09:00"), _hm("12:00")),
        },
    ),
    "evening": _Shift(
        start=_hm("15:00"),
        end=_hm("22:30"),
        break_window=(_hm("18:00"), _hm("20:00")),
        break_minutes=30,
        opens={
            "care": (_hm("20:00"), _hm("21:00")),
            "insulin": (_hm("15:30"), _hm("16:30")),
            "meal": (_hm("15:30"), _hm("17:00")),
            "medication": (_hm("19:00"), _hm("20:30")),
            "wound_care": (_hm("15:30"), _hm("18:00")),
            "catheter": (_hm("15:30"), _hm("18:30")),
            "stockings": (_hm("19:00"), _hm("20:30")),
            "practical": (_hm("15:30"), _hm("17:30")),
            "supervision": (_hm("16:00"), _hm("20:30")),
            "assessment": (_hm("15:30"), _hm("18:00")),
        },
    ),
}

# task -> (competence weights (assistant, health_worker, nurse), skills, minutes range,
#          window widths to draw from)
_TASKS: dict[
    str, tuple[tuple[float, float, float], tuple[str, ...], tuple[int, int], tuple[int, ...]]
] = {
    "care": ((0.55, 0.45, 0.0), (), (30, 60), (90, 120, 120, 150, 180)),
    "insulin": ((0.0, 0.5, 0.5), ("insulin",), (10, 15), (30, 60, 60, 90)),
    "meal": ((1.0, 0.0, 0.0), (), (15, 30), (60, 90, 120, 120, 150)),
    "medication": ((0.0, 0.75, 0.25), ("medication",), (10, 15), (60, 60, 90, 120)),
    "wound_care": ((0.0, 0.0, 1.0), ("wound_care",), (20, 40), (120, 150, 180, 240)),
    "catheter": ((0.0, 0.0, 1.0), ("catheter",), (20, 30), (90, 120, 180)),
    "stockings": ((0.5, 0.5, 0.0), ("compression",), (10, 15), (60, 90, 120)),
    "practical": ((1.0, 0.0, 0.0), (), (30, 60), (120, 150, 180, 240)),
    "supervision": ((1.0, 0.0, 0.0), (), (10, 20), (60, 90, 120, 180)),
    "assessment": ((0.0, 0.0, 1.0), (), (20, 30), (120, 180, 240)),
}

# care level -> (probability, list of (task, probability) for optional tasks, visit range)
_OPTIONAL: dict[str, tuple[tuple[str, float], ...]] = {
    "light": (
        ("practical", 0.35),
        ("supervision", 0.35),
        ("medication", 0.2),
        ("stockings", 0.2),
        ("meal", 0.2),
        ("wound_care", 0.25),
        ("assessment", 0.12),
    ),
    "medium": (
        ("medication", 0.35),
        ("insulin", 0.25),
        ("meal", 0.4),
        ("wound_care", 0.3),
        ("supervision", 0.3),
        ("stockings", 0.2),
        ("practical", 0.2),
        ("catheter", 0.1),
        ("assessment", 0.12),
    ),
    "extensive": (
        ("insulin", 0.35),
        ("medication", 0.45),
        ("catheter", 0.25),
        ("wound_care", 0.35),
        ("supervision", 0.45),
        ("stockings", 0.2),
        ("assessment", 0.1),
    ),
}


@dataclass
class _Visit:
    client: str
    location: tuple[float, float]
    task: str
    window: tuple[int, int]
    minutes: int
    competence: str
    skills: tuple[str, ...]
    staff_count: int = 1
    mandatory: bool = False
    after: tuple[_Visit, int, int] | None = None
    preferred: list[str] = field(default_factory=list)
    id: str = ""


@dataclass
class _Staff:
    id: str
    competence: str
    skills: tuple[str, ...]
    mode: str
    base: tuple[float, float]
    base_index: int


def _point_in_polygon(lat: float, lon: float, poly: tuple[tuple[float, float], ...]) -> bool:
    inside = False
    j = len(poly) - 1
    for i in range(len(poly)):
        yi, xi = poly[i]
        yj, xj = poly[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _pick(rng: random.Random, weights: tuple[float, ...], items: tuple[str, ...]) -> str:
    return rng.choices(items, weights=weights, k=1)[0]


def _client_location(
    rng: random.Random,
    district: str,
    anchor_weights: list[float],
) -> tuple[float, float]:
    anchors = _ANCHORS[district]
    poly = _POLYGONS[district]
    lat0, lon0 = rng.choices(anchors, weights=anchor_weights, k=1)[0]
    sigma_m = rng.choice((250.0, 400.0, 600.0))
    for _ in range(60):
        dy = rng.gauss(0.0, sigma_m) / 111_320.0
        dx = rng.gauss(0.0, sigma_m) / (111_320.0 * math.cos(math.radians(lat0)))
        lat, lon = lat0 + dy, lon0 + dx
        if _point_in_polygon(lat, lon, poly):
            return round(lat, 5), round(lon, 5)
    return lat0, lon0


def _window(rng: random.Random, sh: _Shift, task: str, minutes: int) -> tuple[int, int]:
    lo, hi = sh.opens[task]
    opening = lo + 15 * rng.randint(0, (hi - lo) // 15)
    width = rng.choice(_TASKS[task][3])
    latest = sh.end - minutes - 20
    return opening, max(opening, min(opening + width, latest))


def _make_visit(
    rng: random.Random,
    sh: _Shift,
    task: str,
    client: str,
    loc: tuple[float, float],
    level: str,
) -> _Visit:
    weights, skills, (mlo, mhi), _ = _TASKS[task]
    if task == "care" and level == "extensive":
        weights = (0.35, 0.65, 0.0)
    competence = _pick(rng, weights, COMPETENCES)
    minutes = 5 * rng.randint(mlo // 5, mhi // 5)
    if task == "insulin":
        minutes = rng.choice((10, 10, 15))
    return _Visit(client, loc, task, _window(rng, sh, task, minutes), minutes, competence, skills)


def _client_visits(
    rng: random.Random, sh: _Shift, shift: str, client: str, loc: tuple[float, float]
) -> list[_Visit]:
    level = _pick(rng, (0.45, 0.35, 0.2), ("light", "medium", "extensive"))
    out: list[_Visit] = []
    if level != "light" or rng.random() < 0.15:
        out.append(_make_visit(rng, sh, "care", client, loc, level))
    limit = {"light": 2, "medium": 3, "extensive": 5}[level]
    for task, p in _OPTIONAL[level]:
        if len(out) >= limit:
            break
        if rng.random() >= p:
            continue
        v = _make_visit(rng, sh, task, client, loc, level)
        out.append(v)
        if task == "insulin":
            # a meal after the insulin: soon after it (breakfast / dinner) ...
            meal = _make_visit(rng, sh, "meal", client, loc, level)
            gap_min, gap_max = 10, 90
            if shift == "day" and rng.random() < 0.5:
                gap_min, gap_max = 180, 300  # ... or lunch, as in the example
            a = max(v.window[0] + gap_min, sh.start)
            b = min(v.window[1] + gap_max, sh.end - meal.minutes - 20)
            if a <= b:
                meal.window = (a, b)
                meal.after = (v, gap_min, gap_max)
                out.append(meal)
    if not out:
        out.append(_make_visit(rng, sh, "practical", client, loc, level))
    if level == "extensive" and rng.random() < 0.5 and shift == "day":
        out.append(_make_visit(rng, sh, "meal", client, loc, level))
    return out


def _qualified(s: _Staff, v: _Visit) -> bool:
    return _LEVEL[s.competence] >= _LEVEL[v.competence] and set(v.skills) <= set(s.skills)


def generate_instance(
    visits: int,
    seed: int,
    district: str = "gamle-oslo",
    shift: str = "day",
    staff_utilisation: float = 0.6,
    *,
    date: str = "2026-11-23",
    two_person_share: float = 0.04,
    mandatory_share: float = 0.03,
    preferred_share: float = 0.85,
    objective: dict[str, float | None] | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    """A realistic home-care day instance (`tillit.planning-instance/1`) as a dict.

    `visits` is the exact number of visits; the same arguments always give the
    same instance. `staff_utilisation` is direct care time (visit minutes times
    staff count) over paid shift time; the staff count follows from it.
    """
    if visits < 1:
        raise ValueError("visits must be at least 1")
    if district not in _ANCHORS:
        raise ValueError(f"unknown district {district!r}; one of {', '.join(DISTRICTS)}")
    if shift not in SHIFTS:
        raise ValueError(f"unknown shift {shift!r}; one of {', '.join(SHIFTS)}")
    if not 0.05 <= staff_utilisation <= 1.0:
        raise ValueError("staff_utilisation must lie in [0.05, 1.0]")
    sh = SHIFTS[shift]
    rng = random.Random(
        f"tillit-generator/1:{visits}:{seed}:{district}:{shift}:{staff_utilisation}"
    )

    # --- clients and their visits -------------------------------------------------
    anchor_weights = [rng.uniform(0.5, 2.0) for _ in _ANCHORS[district]]
    all_visits: list[_Visit] = []
    client_locs: dict[str, tuple[float, float]] = {}
    n_clients = 0
    while len(all_visits) < visits:
        n_clients += 1
        client = f"u{n_clients}"
        if client_locs and rng.random() < 0.1:
            # same address as an earlier client: a block of flats, serviced housing
            loc = rng.choice(list(client_locs.values()))
        else:
            loc = _client_location(rng, district, anchor_weights)
        client_locs[client] = loc
        own = _client_visits(rng, sh, shift, client, loc)
        all_visits.extend(own[: visits - len(all_visits)])

    # --- two-person and mandatory visits ------------------------------------------
    n_two = round(two_person_share * visits)
    if visits >= 20:
        n_two = max(1, n_two)
    candidates = [v for v in all_visits if v.task == "care" and v.minutes >= 30]
    for v in rng.sample(candidates, min(n_two, len(candidates))):
        v.staff_count = 2
    n_mand = round(mandatory_share * visits)
    if visits >= 10:
        n_mand = max(1, n_mand)
    candidates = [
        v
        for v in all_visits
        if v.task in ("insulin", "medication") and v.after is None and v.staff_count == 1
    ]
    for v in rng.sample(candidates, min(n_mand, len(candidates))):
        v.mandatory = True

    # --- staff ---------------------------------------------------------------------
    paid = sh.end - sh.start
    capacity = paid * staff_utilisation
    demand = [0.0, 0.0, 0.0]
    for v in all_visits:
        demand[_LEVEL[v.competence]] += v.minutes * v.staff_count
    total = max(2, math.ceil(sum(demand) / capacity))
    # the scarce higher competences get some slack: they also absorb lower visits
    # (nurse visits cluster in the morning and spread over the whole district)
    n_nurse = max(1, math.ceil(demand[2] / (0.65 * capacity)))
    n_hw = max(1, math.ceil((demand[1] + demand[2]) / (0.85 * capacity)) - n_nurse)
    n_asst = max(0, total - n_nurse - n_hw)
    if n_asst == 0 and demand[0] > 0 and total >= 4:
        n_asst, n_hw = 1, max(1, n_hw - 1)
    modes = ("walk", "bike", "car")
    mode_w = (0.25, 0.45, 0.3) if district in _INNER else (0.1, 0.3, 0.6)
    n_staff = n_nurse + n_hw + n_asst
    n_bases = max(1, min(len(_ANCHORS[district]), math.ceil(n_staff / 30)))
    bases = [_ANCHORS[district][i] for i in range(n_bases)]
    staff: list[_Staff] = []
    n_insulin_hw = 0
    for i in range(n_staff):
        if i < n_nurse:
            comp = "nurse"
            skills: tuple[str, ...] = (
                "insulin",
                "medication",
                "wound_care",
                "catheter",
                "compression",
            )
        elif i < n_nurse + n_hw:
            comp = "health_worker"
            sk = ["medication", "compression"]
            if rng.random() < 0.6 or n_insulin_hw == 0:
                sk.insert(0, "insulin")
                n_insulin_hw += 1
            if rng.random() < 0.15:
                sk.append("wound_care")
            skills = tuple(sk)
        else:
            comp = "assistant"
            skills = ("compression",) if rng.random() < 0.7 else ()
        b = i % n_bases
        # nurses cover the whole district: they cycle or drive
        mode = _pick(rng, (0.0, 0.4, 0.6) if comp == "nurse" else mode_w, modes)
        staff.append(_Staff(f"e{i + 1}", comp, skills, mode, bases[b], b))

    # --- primary contacts -----------------------------------------------------------
    by_client: dict[str, list[_Visit]] = {}
    for v in all_visits:
        by_client.setdefault(v.client, []).append(v)
    for client, own in by_client.items():
        if rng.random() >= preferred_share:
            continue
        lat, lon = client_locs[client]
        base = min(
            range(n_bases), key=lambda b: (bases[b][0] - lat) ** 2 + (bases[b][1] - lon) ** 2
        )
        team = [s for s in staff if s.base_index == base] or staff
        contacts = rng.sample(team, min(len(team), rng.choice((1, 2, 2, 3))))
        responsible: dict[tuple[str, tuple[str, ...]], str] = {}
        for v in own:
            pref = [s.id for s in contacts if _qualified(s, v)]
            if not pref:
                key = (v.competence, v.skills)
                if key not in responsible:
                    able = [s for s in team if _qualified(s, v)] or [
                        s for s in staff if _qualified(s, v)
                    ]
                    if able:
                        responsible[key] = rng.choice(able).id
                if key in responsible:
                    pref = [responsible[key]]
            v.preferred = pref

    # --- output ---------------------------------------------------------------------
    rng.shuffle(all_visits)
    for i, v in enumerate(all_visits):
        v.id = f"v{i + 1}"
    out_visits: list[dict[str, Any]] = []
    for v in all_visits:
        d: dict[str, Any] = {
            "id": v.id,
            "client": v.client,
            "location": {"lat": v.location[0], "lon": v.location[1]},
            "window": [_hhmm(v.window[0]), _hhmm(v.window[1])],
            "minutes": v.minutes,
            "competence": v.competence,
        }
        if v.skills:
            d["skills"] = list(v.skills)
        if v.preferred:
            d["preferred_staff"] = v.preferred
        d["staff_count"] = v.staff_count
        if v.mandatory:
            d["mandatory"] = True
        if v.after is not None:
            parent, lo, hi = v.after
            d["after"] = {"visit": parent.id, "min_minutes": lo, "max_minutes": hi}
        out_visits.append(d)
    brk = {
        "window": [_hhmm(sh.break_window[0]), _hhmm(sh.break_window[1])],
        "minutes": sh.break_minutes,
    }
    out_staff = [
        {
            "id": s.id,
            "competence": s.competence,
            **({"skills": list(s.skills)} if s.skills else {}),
            "mode": s.mode,
            "shift": [_hhmm(sh.start), _hhmm(sh.end)],
            "start": {"lat": s.base[0], "lon": s.base[1]},
            "end": {"lat": s.base[0], "lon": s.base[1]},
            "break": dict(brk),
        }
        for s in staff
    ]
    return {
        "format": "tillit.planning-instance/1",
        "name": name or f"{district}-{date}-{shift}-n{visits}-s{seed}",
        "date": date,
        "timezone": "Europe/Oslo",
        "competences": list(COMPETENCES),
        "travel": {
            "kind": "haversine",
            "detour_factor": 1.3,
            "speeds_kmh": {"walk": 4.5, "bike": 14.0, "car": 22.0},
        },
        "objective": dict(objective if objective is not None else _DEFAULT_OBJECTIVE),
        "staff": out_staff,
        "visits": out_visits,
    }
