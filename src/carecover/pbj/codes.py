"""PBJ job title codes (1–40) and pay type codes (1–3).

The lists are data (``carecover/data/pbj/job_title_codes.csv`` and
``pay_type_codes.csv``) with their source and confidence; this module only
reads them. Five-Star groups: RN = 5, 6, 7; LPN = 8, 9; nurse aide = 10, 11,
12 (cms-staffing-methodology.md §1.4, §3a). Pay types 1 (exempt) and 2
(non-exempt) are employees, 3 is contract (§1.3); the public files split
hours into ``_emp`` and ``_ctr`` columns accordingly (§2.1).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path

from carecover.errors import NotFoundError

__all__ = [
    "EMPLOYEE_ID_CHARACTERS",
    "NURSE_GROUPS",
    "JobGroup",
    "JobTitle",
    "PayType",
    "job_title",
    "job_titles",
    "nurse_columns",
    "pay_type",
    "pay_types",
]


class JobGroup(StrEnum):
    """The staffing group a job title counts in."""

    RN = "rn"
    LPN = "lpn"
    AIDE = "aide"
    NON_NURSE = "non-nurse"


NURSE_GROUPS = (JobGroup.RN, JobGroup.LPN, JobGroup.AIDE)

#: The characters an employeeId may hold (PBJ edit -4018): letters, digits and ``-\\,._``
#: and space. The XML edits and the Employee Detail reader both check against it.
EMPLOYEE_ID_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-\\,._ "


@dataclass(frozen=True)
class JobTitle:
    """One PBJ ``jobTitleCode`` and where its hours land in the public files."""

    code: int
    title: str
    group: JobGroup
    puf_file: str | None  # "nurse", "non-nurse" or None (not published)
    puf_column: str | None  # e.g. "Hrs_RNDON"
    optional: bool
    effective_from: date
    source: str
    confidence: str

    @property
    def is_nurse(self) -> bool:
        """Whether the hours count in total nurse staffing (codes 5–12)."""
        return self.group is not JobGroup.NON_NURSE


@dataclass(frozen=True)
class PayType:
    """One PBJ ``payTypeCode``."""

    code: int
    meaning: str
    is_contract: bool
    puf_suffix: str  # "_emp" or "_ctr"
    effective_from: date
    source: str
    confidence: str


_DATA = Path(__file__).resolve().parent.parent / "data" / "pbj"


def _rows(name: str) -> list[dict[str, str]]:
    # A plain path, not importlib.resources: the package is installed as
    # files, and importing importlib.resources (tempfile, zipfile...) costs
    # ``pbj measures`` start-up about 8 ms (issue 4 §7).
    text = (_DATA / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def _job_titles() -> dict[int, JobTitle]:
    out: dict[int, JobTitle] = {}
    for row in _rows("job_title_codes.csv"):
        code = int(row["code"])
        out[code] = JobTitle(
            code=code,
            title=row["title"],
            group=JobGroup(row["group"]),
            puf_file=row["puf_file"] or None,
            puf_column=row["puf_column"] or None,
            optional=row["optional"] == "yes",
            effective_from=date.fromisoformat(row["effective_from"]),
            source=row["source"],
            confidence=row["confidence"],
        )
    return out


@cache
def _pay_types() -> dict[int, PayType]:
    out: dict[int, PayType] = {}
    for row in _rows("pay_type_codes.csv"):
        code = int(row["code"])
        out[code] = PayType(
            code=code,
            meaning=row["meaning"],
            is_contract=row["kind"] == "contract",
            puf_suffix=row["puf_suffix"],
            effective_from=date.fromisoformat(row["effective_from"]),
            source=row["source"],
            confidence=row["confidence"],
        )
    return out


def job_titles() -> list[JobTitle]:
    """Every job title code, 1–40, in code order."""
    return [t for _, t in sorted(_job_titles().items())]


def job_title(code: int | str) -> JobTitle:
    """The job title for ``code``; ``NotFoundError`` when it is not 1–40."""
    try:
        return _job_titles()[int(code)]
    except (KeyError, ValueError):
        raise NotFoundError(f"unknown PBJ job title code {code!r} (valid: 1-40)") from None


def pay_types() -> list[PayType]:
    """Every pay type code, 1–3."""
    return [p for _, p in sorted(_pay_types().items())]


def pay_type(code: int | str) -> PayType:
    """The pay type for ``code``; ``NotFoundError`` when it is not 1–3."""
    try:
        return _pay_types()[int(code)]
    except (KeyError, ValueError):
        raise NotFoundError(f"unknown PBJ pay type code {code!r} (valid: 1-3)") from None


def nurse_columns(group: JobGroup) -> list[str]:
    """The Daily Nurse Staffing columns (without suffix) summed for ``group``."""
    return [t.puf_column for t in job_titles() if t.group is group and t.puf_column is not None]
