"""IPLOS functional assessment: the scale, a versioned variable set, and
validation of one assessment's scores.

The variable set is data (shipped as JSON in `tillit.decisions`), not code:
`Definition.from_dict` reads it so the national standard can change without
touching forms. Scale: 1 = manages alone, 2 = alone with difficulty,
3 = needs some help, 4 = needs a helper present throughout, 5 = needs help
with all of it, 9 = not relevant. Only 3–5 mean a need for personal help.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

SCALE = (1, 2, 3, 4, 5)
NOT_RELEVANT = 9
VALID_SCORES = (*SCALE, NOT_RELEVANT)
PERSONAL_HELP_FROM = 3


class ScoreError(ValueError):
    """Scores that do not fit the definition; `errors` maps variable code to
    messages (in Norwegian, for the case handler)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Variable:
    code: str
    name: str  # Norwegian name, as in the national standard
    group: str
    description: str = ""
    levels: Mapping[int, str] = field(default_factory=dict)  # meaning of each level


@dataclass(frozen=True)
class Definition:
    version: str
    title: str
    variables: tuple[Variable, ...]

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Definition:
        default_levels = {int(k): str(v) for k, v in dict(data.get("levels", {})).items()}
        variables = []
        for item in data["variables"]:  # type: ignore[union-attr]
            own = {int(k): str(v) for k, v in dict(item.get("levels", {})).items()}
            variables.append(
                Variable(
                    code=str(item["code"]),
                    name=str(item["name"]),
                    group=str(item.get("group", "")),
                    description=str(item.get("description", "")),
                    levels={**default_levels, **own},
                )
            )
        codes = [v.code for v in variables]
        if len(set(codes)) != len(codes):
            raise ValueError("IPLOS variable codes must be unique")
        return cls(version=str(data["version"]), title=str(data.get("title", "")),
                   variables=tuple(variables))

    def codes(self) -> list[str]:
        return [v.code for v in self.variables]


def needs_personal_help(score: int) -> bool:
    return score in SCALE and score >= PERSONAL_HELP_FROM


def validate_scores(codes: list[str], scores: Mapping[str, object]) -> dict[str, int]:
    """Every variable scored once with 1–5 or 9; unknown codes refused.
    Returns the scores as ints, or raises ScoreError with Norwegian messages."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, int] = {}
    for code in codes:
        raw = scores.get(code)
        if raw is None or raw == "":
            errors[code] = ["Feltet er påkrevet: gi en skår 1–5, eller 9 (ikke relevant)."]
            continue
        try:
            value = int(raw)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            errors[code] = ["Skåren må være et helt tall 1–5, eller 9 (ikke relevant)."]
            continue
        if isinstance(raw, float) and raw != value or isinstance(raw, bool):
            errors[code] = ["Skåren må være et helt tall 1–5, eller 9 (ikke relevant)."]
            continue
        if value not in VALID_SCORES:
            errors[code] = [f"Skåren {value} er utenfor skalaen: bruk 1–5, eller 9 (ikke relevant)."]
            continue
        clean[code] = value
    for code in scores:
        if code not in codes:
            errors[code] = ["Ukjent IPLOS-variabel."]
    if errors:
        raise ScoreError(errors)
    return clean
