"""Care blocks (omsorgsblokker, from Copenhagen's trust reform) computed from
an IPLOS assessment by a transparent rule.

The blocks line up with IPLOS's need levels: light = noe/avgrenset,
medium = middels til stort, extensive = omfattende.

The rule, with its default thresholds (all configurable in `Rule`):

1. Only scores 1–5 count; 9 (not relevant) is left out.
2. A *need* is a variable scored 3–5 (needs personal help); a *heavy need*
   one scored 4–5; a *total need* one scored 5.
3. **extensive** when heavy needs >= `extensive_heavy` (5) or total needs
   >= `extensive_total` (3);
4. otherwise **medium** when needs >= `medium_needs` (4) or heavy needs >=
   `medium_heavy` (2);
5. otherwise **light**.

`compute` returns the block together with the counts, the variables that
drove it and the rule line that decided, so the page can show why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from tillit.core.iplos import NOT_RELEVANT, PERSONAL_HELP_FROM

LIGHT = "light"
MEDIUM = "medium"
EXTENSIVE = "extensive"
BLOCKS = (LIGHT, MEDIUM, EXTENSIVE)


@dataclass(frozen=True)
class Rule:
    extensive_heavy: int = 5
    extensive_total: int = 3
    medium_needs: int = 4
    medium_heavy: int = 2

    @classmethod
    def from_mapping(cls, values: Mapping[str, object] | None) -> Rule:
        values = dict(values or {})
        unknown = set(values) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"Unknown care block rule settings: {sorted(unknown)}")
        rule = cls(**{k: int(v) for k, v in values.items()})  # type: ignore[call-overload]
        if min(asdict(rule).values()) < 1:
            raise ValueError("Care block thresholds must be at least 1")
        return rule


@dataclass(frozen=True)
class Result:
    block: str
    needs: int  # variables scored 3–5
    heavy: int  # scored 4–5
    total: int  # scored 5
    relevant: int  # scored 1–5
    drivers: tuple[str, ...]  # codes of the variables scored 3–5, highest first
    reason: str  # the rule line that decided, in Norwegian
    rule: Rule = field(default_factory=Rule)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["drivers"] = list(self.drivers)
        return data


def compute(scores: Mapping[str, int], rule: Rule | None = None) -> Result:
    rule = rule or Rule()
    relevant = {code: s for code, s in scores.items() if s != NOT_RELEVANT}
    needs = [c for c, s in relevant.items() if s >= PERSONAL_HELP_FROM]
    heavy = [c for c, s in relevant.items() if s >= 4]
    total = [c for c, s in relevant.items() if s >= 5]
    drivers = tuple(sorted(needs, key=lambda c: (-relevant[c], c)))
    if len(heavy) >= rule.extensive_heavy:
        block = EXTENSIVE
        reason = f"{len(heavy)} variabler skåret 4–5 (grense {rule.extensive_heavy})"
    elif len(total) >= rule.extensive_total:
        block = EXTENSIVE
        reason = f"{len(total)} variabler skåret 5 (grense {rule.extensive_total})"
    elif len(needs) >= rule.medium_needs:
        block = MEDIUM
        reason = f"{len(needs)} variabler skåret 3–5 (grense {rule.medium_needs})"
    elif len(heavy) >= rule.medium_heavy:
        block = MEDIUM
        reason = f"{len(heavy)} variabler skåret 4–5 (grense {rule.medium_heavy})"
    else:
        block = LIGHT
        reason = (
            f"{len(needs)} variabler skåret 3–5 og {len(heavy)} skåret 4–5: "
            "under grensene for middels"
        )
    return Result(block=block, needs=len(needs), heavy=len(heavy), total=len(total),
                  relevant=len(relevant), drivers=drivers, reason=reason, rule=rule)
