"""One benchmark result row and the statistics the benchmarks share."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field


@dataclass
class Result:
    key: str  # stable id, e.g. "typeahead.selector"
    name: str  # what is measured, in words
    db: str  # "SQLite" / "PostgreSQL" / "—"
    unit: str  # "ms", "s", "MB"
    value: float | None = None
    floor: float | None = None  # the raw floor measured in the same run, same unit
    floor_name: str = ""
    # "max": value ≤ target; "min": value ≥ target; "ratio": value / floor ≤ target; "info"
    target_kind: str = "max"
    target: float | None = None
    skipped: str = ""  # reason, when not measured
    details: dict = field(default_factory=dict)
    measured_at: str = ""  # when the run that produced the row started (set by the runner)

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.floor:
            return None
        return self.value / self.floor

    @property
    def passed(self) -> bool | None:
        if self.skipped or self.value is None or self.target is None:
            return None
        if self.target_kind == "ratio":
            return self.ratio is not None and self.ratio <= self.target
        if self.target_kind == "max":
            return self.value <= self.target
        if self.target_kind == "min":
            return self.value >= self.target
        return None

    @property
    def target_text(self) -> str:
        if self.target is None or self.target_kind == "info":
            return "—"
        if self.target_kind == "ratio":
            return f"≤ {self.target:g} × floor"
        if self.target_kind == "min":
            return f"≥ {self.target:g} {self.unit}"
        return f"≤ {self.target:g} {self.unit}"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Result:
        return cls(**data)


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 200 samples is the 190th smallest)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]
