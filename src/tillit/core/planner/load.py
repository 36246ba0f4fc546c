"""Loading an instance: JSON schema first, then the meaning of every item."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from tillit.core.planner.errors import InstanceError
from tillit.core.planner.model import (
    After,
    Break,
    Instance,
    Objective,
    Point,
    Staff,
    TravelSpec,
    Visit,
    can_serve,
    parse_time,
)

SPEC_DIR = Path(__file__).resolve().parent / "spec"


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SPEC_DIR / name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _where(path: Any, data: Any) -> str:
    """Readable location of a schema error, naming the staff/visit id when there is one."""
    parts = list(path)
    label = "/".join(str(p) for p in parts) or "(top level)"
    if len(parts) >= 2 and parts[0] in ("staff", "visits") and isinstance(parts[1], int):
        try:
            item = data[parts[0]][parts[1]]
            if isinstance(item, dict) and "id" in item:
                kind = "staff member" if parts[0] == "staff" else "visit"
                label += f" ({kind} {item['id']!r})"
        except (IndexError, KeyError, TypeError):
            pass
    return label


def validate_schema(data: Any, schema_name: str = "planning-instance.schema.json") -> None:
    errors = sorted(_validator(schema_name).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        err = errors[0]
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise InstanceError(f"schema violation at {_where(err.path, data)}: {err.message}{more}")


def _point(d: dict) -> Point:
    return Point(float(d["lat"]), float(d["lon"]))


def _window(raw: list[str], what: str) -> tuple[int, int]:
    a, b = parse_time(raw[0]), parse_time(raw[1])
    if b < a:
        raise InstanceError(f"{what}: window {raw[0]}-{raw[1]} ends before it starts")
    return a, b


def load_instance(data: dict | str | os.PathLike) -> Instance:
    """Load and validate an instance from a parsed dict or a JSON file path."""
    if not isinstance(data, dict):
        path = Path(data)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InstanceError(f"cannot read {path}: {exc.strerror or exc}") from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InstanceError(f"{path}: malformed JSON: {exc}") from exc
    validate_schema(data)
    return _build(data)


def _build(data: dict) -> Instance:
    competences = tuple(data["competences"])
    level = {c: i for i, c in enumerate(competences)}
    obj = data["objective"]
    objective = Objective(
        travel_minute=float(obj["travel_minute"]),
        non_preferred_visit=float(obj["non_preferred_visit"]),
        unassigned_visit=float(obj["unassigned_visit"]),
        overtime_minute=None if obj.get("overtime_minute") is None else float(
            obj["overtime_minute"]),
        late_minute=None if obj.get("late_minute") is None else float(obj["late_minute"]),
    )
    tr = data["travel"]
    if tr["kind"] == "haversine":
        travel = TravelSpec(
            kind="haversine",
            detour_factor=float(tr["detour_factor"]),
            speeds_kmh={k: float(v) for k, v in tr["speeds_kmh"].items()},
        )
        modes = set(travel.speeds_kmh)
    else:
        points = tuple(_point(p) for p in tr["points"])
        n = len(points)
        seconds: dict[str, tuple[tuple[int, ...], ...]] = {}
        for mode, rows in tr["seconds"].items():
            if len(rows) != n or any(len(r) != n for r in rows):
                raise InstanceError(
                    f"travel matrix for mode {mode!r} is not {n}x{n} (it must match the "
                    f"{n} points)"
                )
            seconds[mode] = tuple(tuple(int(x) for x in r) for r in rows)
        travel = TravelSpec(kind="matrix", points=points, seconds=seconds)
        modes = set(seconds)

    staff: list[Staff] = []
    seen: set[str] = set()
    for s in data["staff"]:
        sid = s["id"]
        if sid in seen:
            raise InstanceError(f"duplicate staff id {sid!r}")
        seen.add(sid)
        if s["competence"] not in level:
            raise InstanceError(f"staff member {sid!r}: unknown competence {s['competence']!r}")
        if s["mode"] not in modes:
            raise InstanceError(f"staff member {sid!r}: travel mode {s['mode']!r} has no "
                                f"{'speed' if travel.kind == 'haversine' else 'matrix'}")
        shift = _window(s["shift"], f"staff member {sid!r} shift")
        brk = None
        if "break" in s:
            bw = _window(s["break"]["window"], f"staff member {sid!r} break")
            secs = int(s["break"]["minutes"]) * 60
            if secs > shift[1] - shift[0]:
                raise InstanceError(
                    f"staff member {sid!r}: break of {s['break']['minutes']} minutes is longer "
                    f"than the shift {s['shift'][0]}-{s['shift'][1]}")
            brk = Break(bw, secs)
        staff.append(Staff(
            id=sid, competence=s["competence"], level=level[s["competence"]],
            skills=frozenset(s.get("skills", [])), mode=s["mode"], shift=shift,
            start=_point(s["start"]), end=_point(s["end"]), brk=brk, name=s.get("name", ""),
        ))
    staff_ids = {s.id for s in staff}
    all_skills = set().union(*(s.skills for s in staff)) if staff else set()

    visits: list[Visit] = []
    vseen: set[str] = set()
    for v in data["visits"]:
        vid = v["id"]
        if vid in vseen:
            raise InstanceError(f"duplicate visit id {vid!r}")
        vseen.add(vid)
        if v["competence"] not in level:
            raise InstanceError(f"visit {vid!r}: unknown competence {v['competence']!r}")
        for sk in v.get("skills", []):
            if sk not in all_skills:
                raise InstanceError(f"visit {vid!r}: unknown skill {sk!r} (no staff member "
                                    "holds it)")
        window = _window(v["window"], f"visit {vid!r}")
        for p in v.get("preferred_staff", []):
            if p not in staff_ids:
                raise InstanceError(f"visit {vid!r}: unknown preferred staff {p!r}")
        after = None
        if "after" in v:
            a = v["after"]
            if a["visit"] == vid:
                raise InstanceError(f"visit {vid!r}: 'after' points at itself")
            if a["min_minutes"] > a["max_minutes"]:
                raise InstanceError(f"visit {vid!r}: 'after' gap min_minutes {a['min_minutes']}"
                                    f" is above max_minutes {a['max_minutes']}")
            after = After(a["visit"], int(a["min_minutes"]) * 60, int(a["max_minutes"]) * 60)
        visits.append(Visit(
            id=vid, client=v["client"], location=_point(v["location"]), window=window,
            seconds=int(v["minutes"]) * 60, competence=v["competence"],
            level=level[v["competence"]], skills=frozenset(v.get("skills", [])),
            preferred_staff=tuple(v.get("preferred_staff", [])),
            staff_count=int(v.get("staff_count", 1)), mandatory=bool(v.get("mandatory", False)),
            after=after,
        ))
    by_id = {v.id: v for v in visits}
    for v in visits:
        if v.after is not None and v.after.visit not in by_id:
            raise InstanceError(f"visit {v.id!r}: 'after' target {v.after.visit!r} is unknown")
    for v in visits:  # cycles in `after`
        seen_chain = [v.id]
        cur = v
        while cur.after is not None:
            nxt = cur.after.visit
            if nxt in seen_chain:
                chain = " -> ".join([*seen_chain, nxt])
                raise InstanceError(f"visit {v.id!r}: 'after' forms a cycle ({chain})")
            seen_chain.append(nxt)
            cur = by_id[nxt]
    for v in visits:
        if staff and not any(v.window[0] <= s.shift[1] and v.window[1] >= s.shift[0]
                             for s in staff):
            raise InstanceError(
                f"visit {v.id!r}: window {_hm(v.window[0])}-{_hm(v.window[1])} lies outside "
                "every staff shift")
        if v.staff_count == 2:
            qualified = [s.id for s in staff if can_serve(s, v)]
            if len(qualified) < 2:
                raise InstanceError(
                    f"visit {v.id!r} needs two staff members but only {len(qualified)} "
                    f"qualified carer{'s' if len(qualified) != 1 else ''} exist"
                    + (f" ({qualified[0]})" if qualified else ""))
    if travel.kind == "matrix":
        known = set(travel.points)
        for s in staff:
            for what, p in (("start", s.start), ("end", s.end)):
                if p not in known:
                    raise InstanceError(f"staff member {s.id!r}: {what} point "
                                        f"({p.lat}, {p.lon}) is not one of the matrix points")
        for v in visits:
            if v.location not in known:
                raise InstanceError(f"visit {v.id!r}: location ({v.location.lat}, "
                                    f"{v.location.lon}) is not one of the matrix points")
    return Instance(
        name=data["name"], date=data["date"], timezone=data["timezone"],
        competences=competences, travel=travel, objective=objective, staff=tuple(staff),
        visits=tuple(visits), raw=data,
    )


def _hm(t: int) -> str:
    return f"{t // 3600:02d}:{t % 3600 // 60:02d}"
