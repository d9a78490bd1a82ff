"""Every figure of one facility-quarter from its own PBJ XML and MDS files.

``load_own_files`` loads the files into a scratch store the way a portal
upload does (``pbj.xmlstore.load_xml``, ``mds.store.load_files``, then the
facility's public-file-shaped days from its hours over its MDS census,
``pbj.submission_days``). ``own_figures`` then asks the domain packages for
each figure, as the facility page does (``facility/overview.py``):
HPRD by category and the day counts (``pbj.measures``), the case-mix ratio
from the MDS assessments and the adjusted HPRD (``rating.casemix``), the
days without an RN, the staffing stars and the overall-rating steps, and
the projection (``rating.projection``). Nothing here re-implements a rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carecover.errors import CarecoverError, InputError
from carecover.pbj.calendar import Quarter

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "OwnFigures",
    "expected_hprd",
    "load_own_files",
    "mds_cmi_ratio",
    "own_figures",
    "turnover_inputs",
]


@dataclass
class OwnFigures:
    """One facility-quarter's figures from its own files."""

    ccn: str
    quarter: str
    release: str
    method: str
    measures: dict[str, Any]
    cmi_ratio: float | None
    cmi_source: str
    adjusted: dict[str, float | None]
    #: Case-mix (expected) HPRD: the release's case-mix HPRD at ratio 1 × the facility's ratio.
    expected: dict[str, float | None]
    zero_rn_days: int
    zero_rn_one_star_at: int
    card: dict[str, Any]
    overall_steps: list[str]
    projection: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        from dataclasses import asdict

        return asdict(self)

    def to_text(self) -> str:
        """The figures as a plain-text table."""

        def cell(value: Any) -> str:
            if value is None:
                return "-"
            if isinstance(value, float):
                return f"{value:.5f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.1f}"
            return str(value)

        m = self.measures
        lines = [
            f"facility {self.ccn} — {self.quarter} — release {self.release or '-'}"
            f" — method {self.method}",
            f"days: {m.get('days_reported')} reported, {m.get('days_missing')} missing, "
            f"{m.get('days_blank')} with blank RN hours, "
            f"{m.get('days_without_nurse_staffing')} with residents and no nurse hours",
            "measure                     reported   adjusted   expected",
        ]
        for key, label, adjusted in (
            ("rn_hprd", "RN HPRD", "rn"),
            ("lpn_hprd", "LPN HPRD", None),
            ("aide_hprd", "aide HPRD", None),
            ("total_hprd", "total nurse HPRD", "total"),
            ("weekend_total_hprd", "weekend total HPRD", "weekend_total"),
        ):
            adj = self.adjusted.get(adjusted) if adjusted else None
            exp = self.expected.get(adjusted) if adjusted else None
            lines.append(f"  {label:24} {cell(m.get(key)):>10} {cell(adj):>10} {cell(exp):>10}")
        lines.append(f"average census: {cell(m.get('avg_census'))}")
        lines.append(f"case-mix ratio: {cell(self.cmi_ratio)} ({self.cmi_source})")
        lines.append(
            f"days without an RN: {self.zero_rn_days} (one star from {self.zero_rn_one_star_at})"
        )
        lines.append(
            f"staffing rating: {cell(self.card.get('staffing_rating'))} of 5 "
            f"(decided by {self.card.get('decided_by')})"
        )
        lines.extend(f"overall: {s}" for s in self.overall_steps)
        p = self.projection
        lines.append(
            f"projection as of {p.get('as_of')}: total nurse HPRD "
            f"{cell(p.get('projected', {}).get('total'))}, "
            f"staffing rating {cell(p.get('card', {}).get('staffing_rating'))}"
        )
        lines.extend(f"warning: {w}" for w in self.warnings)
        lines.extend(f"note: {n}" for n in self.notes)
        return "\n".join(lines)


def load_own_files(
    con: DuckDBPyConnection,
    pbj: Sequence[Path],
    mds: Sequence[Path],
    quarter: Quarter,
    *,
    ccn: str | None = None,
    submitted_on: date | None = None,
) -> str:
    """Load the PBJ XML and MDS files into ``con`` and build the quarter's days; the CCN.

    The CCN defaults to the only one in the MDS files; the PBJ submission is
    the only ``stateCode``/``facilityId`` in the XML files.
    """
    from carecover.mds.census import daily_census
    from carecover.mds.store import create_mds_schema
    from carecover.mds.store import load_files as load_mds
    from carecover.pbj.submission.days import build_submission_days
    from carecover.pbj.submission.store import load_xml

    if not pbj:
        raise InputError("give at least one PBJ XML file (--pbj)", field="pbj")
    if not mds:
        raise InputError("give at least one MDS file (--mds)", field="mds")
    for path in pbj:
        load_xml(con, path, submitted_on=submitted_on)
    create_mds_schema(con)
    load_mds(con, mds)
    submissions = con.execute(
        "SELECT DISTINCT state, facility_id FROM employee_hours WHERE quarter = ? ORDER BY 1, 2",
        [str(quarter)],
    ).fetchall()
    if len(submissions) != 1:
        found = ", ".join(f"{s}/{f}" for s, f in submissions) or "none"
        raise InputError(
            f"the PBJ files must hold one facility's hours for {quarter}; found {found}",
            field="pbj",
        )
    state, facility_id = submissions[0]
    if ccn is None:
        ccns = [c for (c,) in con.execute("SELECT DISTINCT ccn FROM mds_assessments").fetchall()]
        if len(ccns) != 1:
            raise InputError(
                "the MDS files hold "
                + (f"several CCNs ({', '.join(sorted(ccns))})" if ccns else "no valid record")
                + ": name the facility with --ccn",
                field="ccn",
            )
        ccn = ccns[0]
    census = {c.date: c.census for c in daily_census(con, quarter.start, quarter.end, facility=ccn)}
    build_submission_days(
        con,
        provnum=ccn,
        state=state,
        facility_id=facility_id,
        quarter=quarter,
        census=census,
    )
    return ccn


def own_figures(
    con: DuckDBPyConnection,
    ccn: str,
    quarter: Quarter,
    *,
    release: str | None = None,
    cmi_ratio: float | None = None,
    inspection_stars: int | None = None,
    qm_stars: int | None = None,
    audit_failed: bool = False,
) -> OwnFigures:
    """The facility-quarter's figures from the store ``con`` (``load_own_files``)."""
    from carecover.pbj.measures.staffing import quarterly_measures, to_rows
    from carecover.pbj.store import ibis_table
    from carecover.pbj.submission.days import TABLE
    from carecover.pbj.timeclock.missing_days import day_warnings
    from carecover.rating.overall import overall_steps
    from carecover.rating.projection import pbj_days, project
    from carecover.rating.releases import release as release_named
    from carecover.rating.releases import release_for_quarter

    own = ibis_table(con, TABLE)
    rows = to_rows(quarterly_measures(own, quarter=quarter, facility=ccn))
    if not rows:
        raise InputError(f"no PBJ days of {ccn} in {quarter} in the files")
    measures = rows[0]
    rated_by = release_named(release) if release else release_for_quarter(quarter)
    method = rated_by.method
    ratio, source = cmi_ratio, "given (--cmi-ratio)"
    if ratio is None:
        ratio, source = mds_cmi_ratio(con, ccn, rated_by.mds_period, method)
    days = pbj_days(own, ccn, quarter)
    turnover = turnover_inputs(con, quarter, method)
    # As of the quarter's last day no day is left to assume: the card rates the days held.
    at_end = project(
        ccn,
        quarter,
        quarter.end,
        days,
        release=rated_by.name,
        cmi_ratio=ratio,
        audit_failed=audit_failed,
        **turnover,
    )
    last_day = max(d.workdate for d in days)
    ahead = project(
        ccn,
        quarter,
        last_day,
        days,
        release=rated_by.name,
        cmi_ratio=ratio,
        audit_failed=audit_failed,
        **turnover,
    )
    steps: list[str] = []
    if inspection_stars is not None and qm_stars is not None:
        steps = overall_steps(inspection_stars, at_end.card.staffing_rating, qm_stars, method)
    warnings = day_warnings(measures)
    warnings += [w for w in at_end.warnings if w not in warnings]
    notes = list(at_end.notes)
    if not turnover:
        notes.append("no turnover figures: the files hold too few quarters of PBJ hours")
    return OwnFigures(
        ccn=ccn,
        quarter=str(quarter),
        release=rated_by.name,
        method=method.name,
        measures=measures,
        cmi_ratio=ratio,
        cmi_source=source,
        adjusted=at_end.adjusted,
        expected=expected_hprd(rated_by.national_figures or method.casemix.release, ratio),
        zero_rn_days=int(measures.get("zero_rn_days") or 0),
        zero_rn_one_star_at=method.zero_rn_days_one_star,
        card=at_end.card.to_dict(),
        overall_steps=steps,
        projection=ahead.to_dict(),
        warnings=warnings,
        notes=notes,
    )


def expected_hprd(figures: str | None, ratio: float | None) -> dict[str, float | None]:
    """Case-mix (expected) HPRD per measure: the release's case-mix HPRD at ratio 1 × ``ratio``.

    CMS's adjusted HPRD is reported × national average ÷ expected
    (``cms-staffing-methodology.md`` §3b); a measure whose release has no
    case-mix HPRD at ratio 1 has none (None), as has a facility without a ratio.
    """
    from carecover.errors import NotFoundError
    from carecover.rating.casemix import release_figures

    out: dict[str, float | None] = dict.fromkeys(("rn", "total", "weekend_total"))
    if not figures or ratio is None:
        return out
    try:
        national = release_figures(figures)
    except NotFoundError:
        return out
    for key in out:
        fig = national.get(key)
        if fig is not None and fig.casemix_at_ratio_1 is not None:
            out[key] = fig.casemix_at_ratio_1 * ratio
    return out


def mds_cmi_ratio(
    con: DuckDBPyConnection, ccn: str, period: Quarter, method: Any
) -> tuple[float | None, str]:
    """The case-mix ratio from the MDS assessments of ``period`` and where it came from.

    The facility page asks this too (``facility/overview.py``).
    """
    from carecover.rating.casemix import facility_cmi_from_store, release_figures

    figures = method.casemix.release
    if not figures:
        return None, f"none: method {method.name} has no national case-mix figures"
    try:
        index = facility_cmi_from_store(con, ccn, period.start, period.end, method.casemix.system)
        national = release_figures(figures)["cmi"].national_average
    except (CarecoverError, KeyError) as exc:
        return None, f"none: the MDS case-mix could not be computed ({exc})"
    ratio = index.ratio(national)
    if ratio is None:
        return None, f"none: no resident-days with a nursing group in the MDS of {period}"
    return ratio, f"the MDS assessments of {period} ({index.cmi:.4f} ÷ national {national:.5f})"


def turnover_inputs(
    con: DuckDBPyConnection, quarter: Quarter, method: Any, facility_id: str | None = None
) -> dict[str, Any]:
    """Turnover from the store's employee hours, as ``project``'s keyword arguments.

    Empty when the method has no turnover or the hours do not allow it. The
    facility page asks this too, with its PBJ ``facility_id``.
    """
    from carecover.rating.turnover import turnover

    if method.turnover is None:
        return {}
    try:
        rows = turnover(con, quarter, method.turnover, facility=facility_id)
    except CarecoverError:
        return {}
    if len(rows) != 1:
        return {}
    row = rows[0]
    return {
        "total_turnover": row.total_turnover_pct,
        "rn_turnover": row.rn_turnover_pct,
        "admin_departures": None if row.admin_excluded else row.admin_departures,
    }
