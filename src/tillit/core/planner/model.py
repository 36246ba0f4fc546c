"""Data of the day-planning engine: instances and plans as frozen dataclasses.

Times are whole seconds from local midnight of the instance's date.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tillit.core.planner.errors import InstanceError


def parse_time(text: str) -> int:
    """`HH:MM` or `HH:MM:SS` to seconds from midnight."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise InstanceError(f"bad time {text!r}: expected HH:MM or HH:MM:SS")
    h, m = int(parts[0]), int(parts[1])
    s = int(parts[2]) if len(parts) == 3 else 0
    if h > 23 or m > 59 or s > 59:
        raise InstanceError(f"bad time {text!r}: out of range")
    return h * 3600 + m * 60 + s


def format_time(seconds: int) -> str:
    """Seconds from midnight to `HH:MM:SS`."""
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class Break:
    window: tuple[int, int]
    seconds: int


@dataclass(frozen=True)
class Staff:
    id: str
    competence: str
    level: int
    skills: frozenset[str]
    mode: str
    shift: tuple[int, int]
    start: Point
    end: Point
    brk: Break | None = None
    name: str = ""


@dataclass(frozen=True)
class After:
    visit: str
    min_seconds: int
    max_seconds: int


@dataclass(frozen=True)
class Visit:
    id: str
    client: str
    location: Point
    window: tuple[int, int]
    seconds: int
    competence: str
    level: int
    skills: frozenset[str] = frozenset()
    preferred_staff: tuple[str, ...] = ()
    staff_count: int = 1
    mandatory: bool = False
    after: After | None = None


@dataclass(frozen=True)
class TravelSpec:
    kind: str  # "haversine" or "matrix"
    detour_factor: float = 1.0
    speeds_kmh: dict[str, float] = field(default_factory=dict)
    points: tuple[Point, ...] = ()
    seconds: dict[str, tuple[tuple[int, ...], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Objective:
    travel_minute: float
    non_preferred_visit: float
    unassigned_visit: float
    overtime_minute: float | None = None
    late_minute: float | None = None


@dataclass(frozen=True)
class Instance:
    name: str
    date: str
    timezone: str
    competences: tuple[str, ...]
    travel: TravelSpec
    objective: Objective
    staff: tuple[Staff, ...]
    visits: tuple[Visit, ...]
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    def visit(self, visit_id: str) -> Visit:
        return self._visit_index()[visit_id]

    def staff_member(self, staff_id: str) -> Staff:
        return self._staff_index()[staff_id]

    def _visit_index(self) -> dict[str, Visit]:
        idx = self.__dict__.get("_vidx")
        if idx is None:
            idx = {v.id: v for v in self.visits}
            object.__setattr__(self, "_vidx", idx)
        return idx

    def _staff_index(self) -> dict[str, Staff]:
        idx = self.__dict__.get("_sidx")
        if idx is None:
            idx = {s.id: s for s in self.staff}
            object.__setattr__(self, "_sidx", idx)
        return idx


def can_serve(staff: Staff, visit: Visit) -> bool:
    """Competence at or above the visit's and every skill held."""
    return staff.level >= visit.level and visit.skills <= staff.skills


@dataclass(frozen=True)
class Stop:
    """A visit stop (visit set) or a break (visit None)."""

    start: int
    end: int
    visit: str | None = None
    arrive: int | None = None

    @property
    def is_break(self) -> bool:
        return self.visit is None


@dataclass(frozen=True)
class Route:
    staff: str
    leave: int
    stops: tuple[Stop, ...]
    back: int


@dataclass(frozen=True)
class Unassigned:
    visit: str
    reason: str


@dataclass(frozen=True)
class Plan:
    instance: str
    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...]
    stats: dict = field(default_factory=dict, compare=False)
    source: Instance | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Progress:
    """Reported to `on_progress` during a solve."""

    best_cost: float
    unassigned: int
    elapsed: float
    time_left: float
    phase: str = ""
