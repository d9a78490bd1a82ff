"""State minimum staffing rules, read from ``data/pbj/minimums/*.toml``.

One file per rule set (a state, or ``federal-2024``); each holds rules with
effective dates, the job codes they count, their threshold(s), averaging
period, census and source. This module only reads and checks them;
``minimums`` applies them to the daily public-file table.

Measures a rule can be:

- ``hprd``: weighted hours of ``job_codes`` ÷ resident days, at least ``threshold``;
- ``share``: weighted hours of ``job_codes`` ÷ hours of ``base_codes``, at least ``threshold``;
- ``hours_per_day``: hours of ``job_codes`` each day, at least ``threshold``
  (24 for "an RN on site around the clock": the file can only show it was *not*);
- ``reading``: a requirement the file cannot show (ratios by shift); the row
  gives the HPRD reading and says "not computable from this source".

``threshold_low`` marks a requirement that depends on something the file does
not hold (Illinois: the mix of skilled and intermediate residents);
``not_counted_codes`` lists staff the rule counts whose hours are not in the
nurse file, which makes the figure a lower bound.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from carecover.errors import ConfigError, NotFoundError
from carecover.pbj.codes import job_title

__all__ = [
    "MEASURES",
    "PERIODS",
    "MinimumRule",
    "RuleSet",
    "read_rule_set",
    "rule_sets",
    "select_rule_sets",
]

MEASURES = ("hprd", "share", "hours_per_day", "reading")
PERIODS = ("daily", "weekly", "quarterly")
CENSUSES = ("mds", "facility")
CONFIDENCES = ("primary", "secondary", "UNCONFIRMED")
_FOLDER = Path(__file__).resolve().parents[2] / "data" / "pbj" / "minimums"
# The highest threshold a rule may state for each measure: more hours of care
# per resident day than a day has, or a share above 1, is a typing error.
_CEILING = {"hprd": 24.0, "share": 1.0, "hours_per_day": 24.0 * 60}


@dataclass(frozen=True)
class MinimumRule:
    """One minimum a rule set states, and how to read it from the public file."""

    id: str
    title: str
    measure: str
    job_codes: tuple[int, ...]
    weights: tuple[tuple[int, float], ...]  # (code, weight) for codes counted partly
    base_codes: tuple[int, ...]  # the denominator of a ``share``
    not_counted_codes: tuple[int, ...]
    threshold: float | None
    threshold_low: float | None
    period: str
    census: str
    effective_from: date
    effective_to: date | None
    not_computable: str | None
    source: str
    url: str
    confidence: str
    note: str

    def weight(self, code: int) -> float:
        """How much of code ``code``'s hours the rule counts (1 unless stated)."""
        return dict(self.weights).get(code, 1.0)

    @property
    def lower_bound(self) -> bool:
        """Whether staff the rule counts are missing from the nurse file."""
        return bool(self.not_counted_codes)


@dataclass(frozen=True)
class RuleSet:
    """The rules of one file: a state's, or the repealed federal rule's."""

    name: str  # the file's stem: "NY", "federal-2024"
    state: str  # two letters, or "US"
    title: str
    status: str  # "in force" or "repealed"
    status_note: str
    rules: tuple[MinimumRule, ...]

    @property
    def what_if(self) -> bool:
        """A rule set no longer in force, offered only when asked for."""
        return self.status != "in force"


def _fail(path: Path, where: str, problem: str) -> ConfigError:
    return ConfigError(f"{path.name}: {where}: {problem}")


def _text(
    raw: dict[str, Any], key: str, path: Path, where: str, *, default: str | None = None
) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str) or (default is None and not value.strip()):
        raise _fail(path, where, f"field {key!r} must be text")
    return value


def _number(raw: dict[str, Any], key: str, path: Path, where: str, measure: str) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(path, where, f"field {key!r} must be a number")
    # tomllib reads nan and inf: refuse them, and absurd magnitudes.
    if not math.isfinite(value) or not 0 <= value <= _CEILING.get(measure, 24.0):
        raise _fail(path, where, f"field {key!r} is out of range: {value!r}")
    return float(value)


def _codes(raw: dict[str, Any], key: str, path: Path, where: str) -> tuple[int, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(
        isinstance(c, int) and not isinstance(c, bool) for c in value
    ):
        raise _fail(path, where, f"field {key!r} must be a list of job title codes")
    for code in value:
        try:
            job_title(code)
        except NotFoundError as exc:
            raise _fail(path, where, f"field {key!r}: {exc}") from None
    return tuple(value)


def _date(raw: dict[str, Any], key: str, path: Path, where: str) -> date | None:
    value = raw.get(key)
    if value is None or isinstance(value, date):
        return value
    raise _fail(path, where, f"field {key!r} must be a date like 2024-01-01")


def _choice(raw: dict[str, Any], key: str, choices: tuple[str, ...], path: Path, where: str) -> str:
    value = raw.get(key)
    if value not in choices:
        raise _fail(path, where, f"field {key!r} must be one of {', '.join(choices)}")
    return str(value)


def _rule(raw: dict[str, Any], path: Path, index: int) -> MinimumRule:
    where = f"rule {index}"
    rule_id = _text(raw, "id", path, where)
    where = f"rule {rule_id!r}"
    measure = _choice(raw, "measure", MEASURES, path, where)
    codes = _codes(raw, "job_codes", path, where)
    if not codes or any(job_title(c).puf_file != "nurse" for c in codes):
        raise _fail(path, where, "job_codes must name nurse-file codes (5-12)")
    weights_raw = raw.get("weights", {})
    if not isinstance(weights_raw, dict):
        raise _fail(path, where, "field 'weights' must be a table of code = weight")
    weights = []
    for key, value in weights_raw.items():
        if not key.isdigit() or int(key) not in codes:
            raise _fail(path, where, f"weights: {key!r} is not one of the rule's job_codes")
        weight = _number({"w": value}, "w", path, where, "share")
        weights.append((int(key), weight if weight is not None else 1.0))
    threshold = _number(raw, "threshold", path, where, measure)
    threshold_low = _number(raw, "threshold_low", path, where, measure)
    base_codes = _codes(raw, "base_codes", path, where)
    not_computable = raw.get("not_computable")
    if measure == "reading":
        if not isinstance(not_computable, str) or "not computable from this source" not in (
            not_computable
        ):
            raise _fail(path, where, "a reading states why it is 'not computable from this source'")
    elif threshold is None:
        raise _fail(path, where, "field 'threshold' is required")
    if measure == "share" and not base_codes:
        raise _fail(path, where, "a share needs base_codes")
    if threshold_low is not None and threshold is not None and threshold_low > threshold:
        raise _fail(path, where, "threshold_low is above threshold")
    start = _date(raw, "effective_from", path, where)
    if start is None:
        raise _fail(path, where, "field 'effective_from' is required")
    end = _date(raw, "effective_to", path, where)
    if end is not None and end < start:
        raise _fail(path, where, "effective_to is before effective_from")
    return MinimumRule(
        id=rule_id,
        title=_text(raw, "title", path, where),
        measure=measure,
        job_codes=codes,
        weights=tuple(weights),
        base_codes=base_codes,
        not_counted_codes=_codes(raw, "not_counted_codes", path, where),
        threshold=threshold,
        threshold_low=threshold_low,
        period=_choice(raw, "period", PERIODS, path, where),
        census=_choice(raw, "census", CENSUSES, path, where),
        effective_from=start,
        effective_to=end,
        not_computable=not_computable if isinstance(not_computable, str) else None,
        source=_text(raw, "source", path, where),
        url=_text(raw, "url", path, where),
        confidence=_choice(raw, "confidence", CONFIDENCES, path, where),
        note=_text(raw, "note", path, where, default=""),
    )


def read_rule_set(path: Path) -> RuleSet:
    """One rule-set file; ``ConfigError`` naming the file, rule and field when it is malformed."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path.name}: cannot read the rule set: {exc}") from None
    rules_raw = raw.get("rule")
    if not isinstance(rules_raw, list) or not rules_raw:
        raise _fail(path, "file", "no [[rule]] tables")
    rules = tuple(_rule(r, path, i) for i, r in enumerate(rules_raw, start=1))
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise _fail(path, "file", "two rules share an id")
    state = _text(raw, "state", path, "file")
    if len(state) != 2 or not state.isupper():
        raise _fail(path, "file", "field 'state' must be two capital letters")
    return RuleSet(
        name=path.stem,
        state=state,
        title=_text(raw, "name", path, "file"),
        status=_choice(raw, "status", ("in force", "repealed"), path, "file"),
        status_note=_text(raw, "status_note", path, "file", default=""),
        rules=rules,
    )


@cache
def rule_sets() -> tuple[RuleSet, ...]:
    """Every shipped rule set, by name."""
    sets = tuple(read_rule_set(p) for p in sorted(_FOLDER.glob("*.toml")))
    ids = [r.id for s in sets for r in s.rules]
    if len(set(ids)) != len(ids):
        raise ConfigError("data/pbj/minimums: two rule sets share a rule id")
    return sets


def select_rule_sets(names: list[str] | None = None) -> tuple[RuleSet, ...]:
    """The rule sets called ``names`` (a file's stem, or a rule id: only that rule).

    ``NotFoundError`` for a name that is neither.
    """
    chosen: list[RuleSet] = []
    for name in names or []:
        found = [s for s in rule_sets() if s.name.lower() == name.lower()]
        if not found:
            found = [
                RuleSet(s.name, s.state, s.title, s.status, s.status_note, (r,))
                for s in rule_sets()
                for r in s.rules
                if r.id == name.lower()
            ]
        if not found:
            known = ", ".join(s.name for s in rule_sets())
            raise NotFoundError(f"no minimum staffing rule {name!r} (rule sets: {known})")
        chosen += found
    return tuple(chosen)
