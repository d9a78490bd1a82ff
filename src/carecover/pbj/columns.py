"""Column names of CMS's PBJ public-use files, and their drift across quarters.

CMS publishes two daily files per quarter (cms-staffing-methodology.md §2.1,
§2.2): Daily Nurse Staffing (job codes 5–12) and Daily Non-Nurse Staffing.
Each staffing category has three columns: the bare total, ``_emp`` (pay types
1 and 2) and ``_ctr`` (pay type 3). Headers drift between quarters
(peers-and-public-files.md, "Public-file traps"): lower case in 2017, 2018Q4–
2019Q4 and 2020Q3; ``hrs_rn_donadmin``, ``hrs_lpn_admin`` and ``hrs_na_trn``
for ``Hrs_RNDON``, ``Hrs_LPNadmin`` and ``Hrs_NAtrn``; an ``incomplete``
column in 2021Q4; an empty trailing column; pandas-style duplicates such as
``Hrs_RNDON.1``. We store every name in lower case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from carecover.errors import InputError
from carecover.pbj.codes import job_titles

__all__ = [
    "ID_COLUMNS",
    "FileKind",
    "Header",
    "hour_columns",
    "normalise_header",
]

ID_COLUMNS = (
    "provnum",
    "provname",
    "city",
    "state",
    "county_name",
    "county_fips",
    "cy_qtr",
    "workdate",
    "mdscensus",
)
REQUIRED_ID_COLUMNS = ("provnum", "cy_qtr", "workdate", "mdscensus")

# Old spellings seen in CMS's files, keyed by the lower-case stem (S12).
_ALIASES = {
    "hrs_rn_donadmin": "hrs_rndon",
    "hrs_lpn_admin": "hrs_lpnadmin",
    "hrs_na_trn": "hrs_natrn",
}
_PANDAS_DUPLICATE = re.compile(r"\.\d+$")


class FileKind(StrEnum):
    """Which of the two daily public files a header belongs to."""

    NURSE = "nurse"
    NON_NURSE = "non-nurse"

    @property
    def table(self) -> str:
        """The store table that holds this kind of file."""
        return "daily_nurse_staffing" if self is FileKind.NURSE else "daily_non_nurse_staffing"


def _stems(kind: FileKind) -> list[str]:
    return [
        t.puf_column.lower()
        for t in job_titles()
        if t.puf_file == kind.value and t.puf_column is not None
    ]


def hour_columns(kind: FileKind) -> list[str]:
    """Every hours column of ``kind`` in file order: bare, ``_emp``, ``_ctr``."""
    cols = [f"{stem}{suffix}" for stem in _stems(kind) for suffix in ("", "_emp", "_ctr")]
    if kind is FileKind.NON_NURSE:
        # Hrs_Admin_fn: meaning UNCONFIRMED (§2.2); kept as text, not hours.
        cols.remove("hrs_admin")
        cols.insert(0, "hrs_admin")
    return cols


@dataclass(frozen=True)
class Header:
    """A file's header after normalisation.

    ``sources`` maps each canonical column to the positions (0-based) in the
    file that carry it; more than one position means both spellings appear
    (2017Q2's two DON columns) and the first non-empty value wins.
    """

    kind: FileKind
    original: tuple[str, ...]
    sources: dict[str, tuple[int, ...]]
    ignored: tuple[str, ...]


def _canonical(name: str) -> str:
    text = name.replace("\ufeff", "").strip().strip('"').strip().lower()
    text = _PANDAS_DUPLICATE.sub("", text)
    for old, new in _ALIASES.items():
        if text == old or text.startswith(old + "_"):
            return new + text[len(old) :]
    return text


def normalise_header(names: list[str], *, file: str | None = None) -> Header:
    """Map a raw header to canonical lower-case names; raise if it is not a PBJ file."""
    canon = [_canonical(n) for n in names]
    kind = FileKind.NURSE if "hrs_rn" in canon else FileKind.NON_NURSE
    if kind is FileKind.NON_NURSE and "hrs_admin" not in canon:
        raise InputError(
            "not a PBJ Daily Nurse or Non-Nurse Staffing file (no Hrs_RN or Hrs_Admin column)",
            file=file,
            line=1,
        )
    known = set(ID_COLUMNS) | set(hour_columns(kind))
    if kind is FileKind.NON_NURSE:
        known.add("hrs_admin_fn")
    positions: dict[str, list[int]] = {}
    ignored: list[str] = []
    for index, name in enumerate(canon):
        if name in known:
            positions.setdefault(name, []).append(index)
        elif names[index].strip():
            ignored.append(names[index].strip())
    missing = [c for c in REQUIRED_ID_COLUMNS if c not in positions]
    if kind is FileKind.NURSE:
        # The eight nurse totals are needed for every measure; emp/ctr splits
        # and non-nurse categories may be absent (stored as NULL).
        missing += [c for c in hour_columns(kind) if "_" not in c[4:] and c not in positions]
    if missing:
        raise InputError(
            f"missing required column(s): {', '.join(missing)}", file=file, line=1, field=missing[0]
        )
    return Header(
        kind=kind,
        original=tuple(names),
        sources={k: tuple(v) for k, v in positions.items()},
        ignored=tuple(ignored),
    )
