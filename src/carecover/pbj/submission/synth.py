"""Synthetic PBJ 4.10.0 submission files with realistic staffing.

Each facility draws a profile — state, average daily census, total nurse
hours per resident day (HPRD) and RN HPRD — either jointly from a national
facility-quarter summary (``reference``, e.g.
``national_facility_quarter_summary_CY2025Q1-CY2026Q1.csv``) or, without one,
independently from the deciles of that same file embedded below. A roster is
sized so the roles' daily hours match census × HPRD (DON and administrator on
weekdays, RN/LPN admin shares, CNAs, medication aides, a few non-nurse roles),
then each employee works 8-hour or 12-hour shifts on random days. Hours go to
the streaming writer employee by employee, so a file of a million hour entries
never sits in memory. The same ``seed`` gives the same bytes.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from carecover.errors import InputError
from carecover.pbj.calendar import Quarter
from carecover.pbj.submission.writer import (
    STATE_CODES,
    EmployeeRecord,
    SubmissionHeader,
    WriteSummary,
    write_submission,
)

__all__ = ["FacilityProfile", "synth_pbj_xml"]

# Deciles (5th, 15th, ..., 95th percentile) of 72,424 facility-quarters,
# CY2025Q1-CY2026Q1, national_facility_quarter_summary (../shared/data/reference).
_CENSUS = (28.73, 41.91, 52.14, 61.67, 72.6, 83.2, 93.18, 106.79, 122.77, 170.63)
_TOTAL_HPRD = (2.89, 3.18, 3.34, 3.48, 3.62, 3.78, 3.96, 4.2, 4.58, 5.41)
_RN_HPRD = (0.24, 0.34, 0.41, 0.48, 0.54, 0.62, 0.7, 0.81, 0.98, 1.4)
_STATES = ("TX", "CA", "OH", "FL", "IL", "PA", "NY", "IN", "MO", "MI", "NC", "IA", "GA", "NJ")
_STATE_WEIGHTS = (
    5816,
    5623,
    4593,
    3434,
    3295,
    3258,
    2959,
    2520,
    2387,
    2086,
    2041,
    1941,
    1749,
    1728,
)
_CONTRACT_SHARE = 0.07  # share of nurse staff paid as contract (pay type 3); illustrative
_SPLIT_SHARE = 0.05  # share of worked days split across two job codes; illustrative


@dataclass(frozen=True)
class FacilityProfile:
    """What a synthetic facility's staffing is sized from."""

    state: str
    census: float
    total_hprd: float
    rn_hprd: float


class _Entry(NamedTuple):
    employee_id: str
    day: date
    hours: Decimal
    job_title_code: int
    pay_type_code: int


@dataclass(frozen=True)
class _Role:
    code: int
    daily_hours: float  # facility hours per day in this role
    shift: float  # usual shift length
    days_per_week: float
    weekdays_only: bool = False
    pay: int = 2
    second_code: int | None = None  # the code a split day moves to


def _profiles(reference: Path | None, rng: random.Random) -> Iterator[FacilityProfile]:
    if reference is None:
        while True:
            state = rng.choices(_STATES, _STATE_WEIGHTS)[0]
            yield FacilityProfile(
                state,
                rng.choice(_CENSUS) * rng.uniform(0.9, 1.1),
                rng.choice(_TOTAL_HPRD),
                rng.choice(_RN_HPRD),
            )
    rows = _reference_rows(reference)
    while True:
        yield rng.choice(rows)


def _reference_rows(path: Path) -> list[FacilityProfile]:
    rows: list[FacilityProfile] = []
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for record in reader:
            try:
                census = float(record["avg_daily_census"])
                total = float(record["avg_total_nurse_hprd"])
                rn = float(record["avg_rn_hprd"])
                state = record["state"].strip()
            except (KeyError, ValueError, AttributeError):
                continue
            if census >= 1 and 1.5 <= total <= 12 and 0 <= rn <= total and state in STATE_CODES:
                rows.append(FacilityProfile(state, census, total, rn))
    if not rows:
        raise InputError(
            "no usable rows (needs state, avg_daily_census, avg_total_nurse_hprd, avg_rn_hprd)",
            file=str(path),
        )
    return rows


def _roles(p: FacilityProfile) -> list[_Role]:
    rn = max(p.census * p.rn_hprd - 8 * 5 / 7, 4.0)  # DON hours count as RN hours (code 5)
    other = max(p.census * (p.total_hprd - p.rn_hprd), 8.0)
    lpn, aide = other * 0.3, other * 0.7
    return [
        _Role(1, 8, 8, 5, weekdays_only=True, pay=1),
        _Role(5, 8, 8, 5, weekdays_only=True, pay=1, second_code=6),
        _Role(6, rn * 0.15, 8, 5, second_code=7),
        _Role(7, rn * 0.85, 12, 3.5, second_code=6),
        _Role(8, lpn * 0.08, 8, 5, second_code=9),
        _Role(9, lpn * 0.92, 8, 5, second_code=8),
        _Role(10, aide * 0.88, 8, 5, second_code=12),
        _Role(11, aide * 0.04, 8, 5),
        _Role(12, aide * 0.08, 8, 5, second_code=10),
        _Role(16, 4, 8, 2.5, weekdays_only=True),
        _Role(29, p.census * 0.08, 8, 5),
        _Role(30, p.census * 0.04, 8, 5, weekdays_only=True),
        _Role(39, p.census * 0.2, 8, 5),
    ]


def _head_count(role: _Role) -> int:
    return max(1, round(role.daily_hours / (role.shift * role.days_per_week / 7)))


def _apportion(counts: list[int], size: int) -> list[int]:
    """Scale head counts ``counts`` so they sum to ``size`` (largest-remainder method)."""
    total = sum(counts)
    exact = [c * size / total for c in counts]
    out = [math.floor(x) for x in exact]
    # Leftover heads go to the largest remainders; ties to the earlier role.
    order = sorted(range(len(counts)), key=lambda i: (out[i] - exact[i], i))
    for i in order[: size - sum(out)]:
        out[i] += 1
    return out


@dataclass(frozen=True)
class _Worker:
    record: EmployeeRecord
    role: _Role
    pay: int
    seed: int


def _roster(
    profile: FacilityProfile,
    quarter: Quarter,
    prefix: str,
    rng: random.Random,
    size: int | None,
) -> list[_Worker]:
    roles = _roles(profile)
    counts = [_head_count(r) for r in roles]
    if size is not None:
        counts = _apportion(counts, size)
    workers: list[_Worker] = []
    for role, count in zip(roles, counts, strict=True):
        for _ in range(count):
            n = len(workers) + 1
            hire = quarter.start - timedelta(days=rng.randint(30, 3650))
            if rng.random() < 0.05:
                hire = quarter.start + timedelta(days=rng.randint(0, quarter.days - 1))
            term = None
            if rng.random() < 0.04:
                term = quarter.start + timedelta(days=rng.randint(0, quarter.days - 1))
                term = max(term, hire)
            pay = role.pay
            if pay == 2 and role.code in range(5, 13) and rng.random() < _CONTRACT_SHARE:
                pay = 3
            record = EmployeeRecord(f"{prefix}-{n:06d}", hire, term)
            workers.append(_Worker(record, role, pay, rng.getrandbits(64)))
    return workers


_HOURS = {q: Decimal(q).scaleb(-2) for q in range(0, 2251)}  # hundredths -> Decimal


def _entries(workers: list[_Worker], quarter: Quarter, limit: int | None) -> Iterator[_Entry]:
    days = [quarter.start + timedelta(days=i) for i in range(quarter.days)]
    written = 0
    for worker in workers:
        rng = random.Random(worker.seed)
        role, rec = worker.role, worker.record
        chance = role.days_per_week / (5 if role.weekdays_only else 7)
        for day in days:
            if limit is not None and written >= limit:
                return
            if role.weekdays_only and day.weekday() >= 5:
                continue
            if rng.random() >= chance or (rec.hire_date and day < rec.hire_date):
                continue
            if rec.termination_date and day > rec.termination_date:
                break
            # Shift length jitters by quarter hours: late clock-outs, short days.
            hundredths = int(role.shift * 100) + 25 * rng.choice((-2, -1, 0, 0, 0, 1, 2))
            eid = rec.employee_id
            if role.second_code is not None and rng.random() < _SPLIT_SHARE:
                first = 25 * rng.randint(4, hundredths // 25 - 4)
                codes = sorted(((role.code, first), (role.second_code, hundredths - first)))
                for code, part in codes:
                    if limit is not None and written >= limit:
                        return
                    yield _Entry(eid, day, _HOURS[part], code, worker.pay)
                    written += 1
            else:
                yield _Entry(eid, day, _HOURS[hundredths], role.code, worker.pay)
                written += 1


def synth_pbj_xml(
    out: Path,
    *,
    facilities: int,
    quarter: Quarter,
    employees_per_facility: int | None = None,
    seed: int = 0,
    entries: int | None = None,
    reference: Path | None = None,
) -> list[WriteSummary]:
    """Write ``facilities`` synthetic 4.10.0 files; ``out`` is a file (one facility) or a folder.

    ``entries`` makes every file hold exactly that many hour entries (the
    roster grows to match); ``employees_per_facility`` fixes the roster size.
    """
    if facilities < 1:
        raise InputError("must be at least 1", field="facilities")
    if entries is not None and entries < 1:
        raise InputError("must be at least 1", field="entries")
    if employees_per_facility is not None and employees_per_facility < 1:
        raise InputError("must be at least 1", field="employees_per_facility")
    single = Path(out).suffix.lower() == ".xml"
    if single and facilities > 1:
        raise InputError("with several facilities, -o must name a folder", field="out")
    if not single:
        Path(out).mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    profiles = _profiles(reference, rng)
    written: list[WriteSummary] = []
    for index in range(1, facilities + 1):
        profile = next(profiles)
        facility_id = f"SYN{index:06d}"
        size = employees_per_facility
        if entries is not None and size is None:
            # About 65% of days worked, 5% split in two: over-provision so the count is met.
            per_worker = quarter.days * 0.65
            size = max(2, math.ceil(entries / per_worker * 1.1))
        workers = _roster(profile, quarter, facility_id, rng, size)
        header = SubmissionHeader(
            facility_id,
            profile.state,
            quarter,
            software_vendor_name="carecover synth",
            software_product_name="carecover",
            software_product_version="0.1.0",
        )
        target = Path(out) if single else Path(out) / f"pbj_{facility_id}_{quarter}.xml"
        summary = write_submission(
            target,
            header,
            (w.record for w in workers),
            _entries(workers, quarter, entries),
        )
        if entries is not None and summary.hour_entries < entries:
            summary.path.unlink()
            raise InputError(
                f"the roster of {len(workers)} employees yields only {summary.hour_entries} "
                f"entries; raise --employees-per-facility",
                field="entries",
            )
        written.append(summary)
    return written
