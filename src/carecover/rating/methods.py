"""Five-Star staffing methodologies, read from versioned data files.

Each version is one TOML file in ``carecover/data/rating/methods/`` (``2018-04``,
``2019-04``, ``2022-07``, ``2024-07``) with its effective dates, sources, and a
confidence for every value (P, S, observed, UNCONFIRMED). Code only interprets
them: ``method(name)`` picks a version by name, ``method_on(day)`` the one in
force on a date, ``load_method(path)`` reads a user's own file of the same shape.
The parts of a method (points, levels, turnover...) are the values of ``rules``.

A version may carry dated ``[[revisions]]``: values CMS changed within the
version at a later Care Compare release (e.g. the administrator exclusion of
July 2023). ``Method.on(day)`` gives the version as revised by that day;
``method_on`` and the release calendar (``releases``) apply it.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass, fields, replace
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from carecover.errors import ConfigError, NotFoundError
from carecover.rating.comparison import parse_comparison
from carecover.rating.rules import (
    CasemixSettings,
    ExclusionTest,
    Fact,
    LevelRule,
    OverallRule,
    PointsBand,
    PointsRule,
    Revision,
    TurnoverRule,
)

__all__ = [
    "CasemixSettings",
    "ExclusionTest",
    "Fact",
    "LevelRule",
    "Method",
    "OverallRule",
    "PointsBand",
    "PointsRule",
    "Revision",
    "TurnoverRule",
    "data_text",
    "load_method",
    "method",
    "method_on",
    "methods",
]

METHOD_NAMES = ("2018-04", "2019-04", "2022-07", "2024-07")
POINT_MEASURES = (
    "adjusted_total_nurse_hprd",
    "adjusted_rn_hprd",
    "adjusted_weekend_total_nurse_hprd",
    "total_nurse_turnover_pct",
    "rn_turnover_pct",
    "administrator_departures",
)


@dataclass(frozen=True)
class Method:
    """One version of the Five-Star staffing methodology."""

    name: str
    title: str
    kind: str  # levels | points
    effective_from: date
    effective_until: date | None  # exclusive
    rn_staffing_rating: bool
    decimals: int
    sources: tuple[str, ...]
    zero_rn_days_one_star: int
    zero_rn_days_need_residents: bool
    late_submission_one_star: bool
    audit_one_star: bool
    excluded_gives: str  # no_rating | one_star
    exclusions: tuple[ExclusionTest, ...]
    overall: OverallRule
    levels: LevelRule | None
    points: PointsRule | None
    turnover: TurnoverRule | None
    casemix: CasemixSettings
    facts: tuple[Fact, ...]
    revisions: tuple[Revision, ...] = ()
    revised: tuple[str, ...] = ()  # titles of the revisions applied (``on``)

    def on(self, day: date) -> Method:
        """This version as revised by ``day`` (its revisions dated on or before it)."""
        m = replace(self, revised=())
        for rev in self.revisions:
            if rev.effective_from > day:
                continue
            if rev.turnover and m.turnover is not None:
                m = replace(m, turnover=replace(m.turnover, **dict(rev.turnover)))
            if rev.points and m.points is not None:
                m = replace(m, points=replace(m.points, **dict(rev.points)))
            m = replace(m, revised=(*m.revised, f"{rev.effective_from}: {rev.title}"))
        return m

    def in_force(self, day: date) -> bool:
        """Whether the method applies on ``day``."""
        return self.effective_from <= day and (
            self.effective_until is None or day < self.effective_until
        )

    @property
    def unconfirmed(self) -> tuple[Fact, ...]:
        """The values marked UNCONFIRMED in the file."""
        return tuple(f for f in self.facts if f.confidence == "UNCONFIRMED")


def data_text(name: str) -> str:
    """Text of a shipped file under ``carecover/data/rating``."""
    try:
        return (
            resources.files("carecover")
            .joinpath("data", "rating", *name.split("/"))
            .read_text(encoding="utf-8")
        )
    except FileNotFoundError:
        raise ConfigError(f"missing reference file data/rating/{name}") from None


class _Reader:
    """Reads ``{ value, source, confidence }`` entries and records them as facts."""

    def __init__(self, doc: dict[str, Any], file: str) -> None:
        self.doc = doc
        self.file = file
        self.facts: list[Fact] = []

    def get(self, section: str, key: str, default: Any = ...) -> Any:
        table = self.doc.get(section, {})
        if key not in table:
            if default is ...:
                raise ConfigError(f"{self.file}: [{section}] has no {key!r}")
            return default
        raw = table[key]
        if isinstance(raw, dict) and "value" in raw:
            self.facts.append(
                Fact(
                    f"{section}.{key}",
                    raw["value"],
                    str(raw.get("source", "")),
                    str(raw.get("confidence", "")),
                )
            )
            return raw["value"]
        return raw


def _points_rule(r: _Reader) -> PointsRule:
    table_name = r.get("points", "table")
    bands: dict[str, list[PointsBand]] = {}
    star_bands: list[float] = []
    for row in csv.DictReader(data_text(table_name).splitlines()):
        band = PointsBand(
            row["measure"], int(row["points"]), row["bound_type"], float(row["bound_value"])
        )
        if band.measure == "staffing_star":
            if band.points > 1:
                star_bands.append(band.bound_value)
            continue
        bands.setdefault(band.measure, []).append(band)
    missing = set(POINT_MEASURES) - set(bands)
    if missing:
        raise ConfigError(f"{table_name}: no bands for {sorted(missing)}")
    thresholds = tuple(float(t) for t in r.get("points", "thresholds"))
    if sorted(star_bands) and tuple(sorted(star_bands)) != thresholds:
        raise ConfigError(
            f"{r.file}: thresholds {thresholds} differ from {table_name} {sorted(star_bands)}"
        )
    policies = {}
    for key in ("missing_total_turnover", "missing_rn_turnover", "missing_admin", "missing_hprd"):
        value = r.get("points", key)
        if value not in ("drop", "lowest"):
            raise ConfigError(f"{r.file}: {key} must be 'drop' or 'lowest', not {value!r}")
        policies[key] = value
    return PointsRule(
        bands={m: tuple(b) for m, b in bands.items()},
        star_bands=thresholds,
        maximum=float(r.get("points", "maximum")),
        missing_total_turnover_also_rn=bool(r.get("points", "missing_total_turnover_also_rn")),
        **policies,
    )


def _level_rule(r: _Reader) -> LevelRule:
    rn = tuple(float(v) for v in r.get("levels", "rn_cut_points"))
    total = tuple(float(v) for v in r.get("levels", "total_cut_points"))
    if len(rn) != 4 or len(total) != 4 or list(rn) != sorted(rn) or list(total) != sorted(total):
        raise ConfigError(f"{r.file}: cut points must be 4 increasing values per measure")
    combine = r.get("levels", "combine")
    if combine == "average_round_down":
        grid = tuple(tuple((i + j) // 2 for j in range(1, 6)) for i in range(1, 6))
        return LevelRule(rn, total, grid, "average_round_down")
    grid = tuple(tuple(int(v) for v in row) for row in combine)
    if len(grid) != 5 or any(len(row) != 5 for row in grid):
        raise ConfigError(f"{r.file}: combine must be a 5 x 5 grid")
    return LevelRule(rn, total, grid, "grid")


def _turnover_rule(r: _Reader) -> TurnoverRule | None:
    if "turnover" not in r.doc:
        return None
    return TurnoverRule(
        departure_gap_days=int(r.get("turnover", "departure_gap_days")),
        eligibility_hours=float(r.get("turnover", "eligibility_hours")),
        eligibility_days=int(r.get("turnover", "eligibility_days")),
        pay_types=tuple(int(p) for p in r.get("turnover", "pay_types")),
        admin_exclusion_ids=int(r.get("turnover", "admin_exclusion_ids")),
        admin_exclusion_days=int(r.get("turnover", "admin_exclusion_days")),
        admin_exclusion_scope=str(r.get("turnover", "admin_exclusion_scope")),
    )


_REVISABLE = {
    "turnover": {f.name for f in fields(TurnoverRule)},
    "points": {f.name for f in fields(PointsRule)} - {"bands", "star_bands"},
}


def _revisions(doc: dict[str, Any], file: str) -> tuple[tuple[Revision, ...], list[Fact]]:
    """The ``[[revisions]]`` of a method file, checked: known keys, dated, in order."""
    out: list[Revision] = []
    facts: list[Fact] = []
    for raw in doc.get("revisions", []):
        day = raw.get("from")
        if not isinstance(day, date):
            raise ConfigError(f"{file}: a revision needs a date 'from'")
        changes: dict[str, tuple[tuple[str, Any], ...]] = {}
        for section, allowed in _REVISABLE.items():
            values = dict(raw.get(section, {}))
            unknown = sorted(set(values) - allowed)
            if unknown:
                raise ConfigError(f"{file}: revision {day} cannot change {section}.{unknown[0]}")
            changes[section] = tuple(values.items())
            facts.extend(
                Fact(
                    f"revisions.{day}.{section}.{key}",
                    value,
                    str(raw.get("source", "")),
                    str(raw.get("confidence", "")),
                )
                for key, value in values.items()
            )
        out.append(
            Revision(
                day,
                str(raw.get("title", "")),
                str(raw.get("source", "")),
                str(raw.get("confidence", "")),
                **changes,
            )
        )
    if [r.effective_from for r in out] != sorted(r.effective_from for r in out):
        raise ConfigError(f"{file}: revisions must be in date order")
    return tuple(out), facts


def _parse(doc: dict[str, Any], file: str) -> Method:
    r = _Reader(doc, file)
    head = doc.get("method")
    if not isinstance(head, dict):
        raise ConfigError(f"{file}: no [method] table")
    kind = head.get("kind")
    if kind not in ("levels", "points"):
        raise ConfigError(f"{file}: kind must be 'levels' or 'points', not {kind!r}")
    exclusions = tuple(
        ExclusionTest(
            str(e["measure"]),
            parse_comparison(e["operator"], where=f"{file}: [[rules.exclusions]] {n}"),
            float(e["threshold"]),
        )
        for n, e in enumerate(doc.get("rules", {}).get("exclusions", []), start=1)
    )
    overall = OverallRule(
        **{
            k: r.get("overall", k)
            for k in (
                "staffing_adds_at",
                "staffing_add_needs_above_inspection",
                "staffing_removes_at",
                "qm_adds_at",
                "qm_removes_at",
                "one_star_inspection_max_rise",
            )
        }
    )
    casemix = CasemixSettings(
        system=str(head.get("casemix_system", "pdpm")),
        weights_file=str(r.get("casemix", "weights")),
        release=r.get("casemix", "release", None),
        national_rn_hprd=r.get("casemix", "national_rn_hprd", None),
        national_total_hprd=r.get("casemix", "national_total_hprd", None),
    )
    excluded_gives = r.get("rules", "excluded_gives")
    if excluded_gives not in ("no_rating", "one_star"):
        raise ConfigError(f"{file}: excluded_gives must be 'no_rating' or 'one_star'")
    m = Method(
        name=str(head["name"]),
        title=str(head.get("title", "")),
        kind=kind,
        effective_from=head["effective_from"],
        effective_until=head.get("effective_until"),
        rn_staffing_rating=bool(head.get("rn_staffing_rating", False)),
        decimals=int(head.get("decimals", 3)),
        sources=tuple(head.get("sources", ())),
        zero_rn_days_one_star=int(r.get("rules", "zero_rn_days_one_star")),
        zero_rn_days_need_residents=bool(r.get("rules", "zero_rn_days_need_residents")),
        late_submission_one_star=bool(r.get("rules", "late_submission_one_star")),
        audit_one_star=bool(r.get("rules", "audit_one_star")),
        excluded_gives=excluded_gives,
        exclusions=exclusions,
        overall=overall,
        levels=_level_rule(r) if kind == "levels" else None,
        points=_points_rule(r) if kind == "points" else None,
        turnover=_turnover_rule(r),
        casemix=casemix,
        facts=(),
    )
    revisions, revision_facts = _revisions(doc, file)
    return replace(m, facts=(*r.facts, *revision_facts), revisions=revisions)


def load_method(path: str | Path) -> Method:
    """Read a methodology TOML file (a shipped version or a user's own)."""
    file = Path(path)
    try:
        doc = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML ({exc})") from None
    except KeyError as exc:
        raise ConfigError(f"{file}: missing {exc}") from None
    return _parse(doc, str(file))


@cache
def method(name: str) -> Method:
    """The shipped method ``name`` (``2018-04``, ``2019-04``, ``2022-07``, ``2024-07``)."""
    if name not in METHOD_NAMES:
        raise NotFoundError(f"no rating method {name!r} (known: {', '.join(METHOD_NAMES)})")
    text = data_text(f"methods/{name}.toml")
    try:
        return _parse(tomllib.loads(text), f"data/rating/methods/{name}.toml")
    except (KeyError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"data/rating/methods/{name}.toml: {exc}") from None


def methods() -> tuple[Method, ...]:
    """Every shipped method, oldest first."""
    return tuple(method(n) for n in METHOD_NAMES)


def method_on(day: date) -> Method:
    """The shipped method in force on ``day``, with its revisions of that day applied."""
    for m in methods():
        if m.in_force(day):
            return m.on(day)
    raise NotFoundError(
        f"no PBJ-based staffing method was in force on {day} (the first began 2018-04-25)"
    )
