"""Hand-made MDS records for tests: raw extract rows and direct store inserts."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from carecover.mds.extract import COLUMNS

BASE = {
    "STATE_CD": "CA",
    "FAC_ID": "F1",
    "A0100B": "055001",
    "RESIDENT_INTERNAL_ID": "",
    "A0500A": "Ann",
    "A0500C": "Lee",
    "A0600A": "123-45-6780",
    "A0800": "2",
    "A0900": "19400101",
    "A0310A": "02",
    "A0310B": "99",
    "A0310F": "99",
    "A1600": "20260101",
    "A1700": "",
    "A2000": "",
    "A2100": "",
    "A2300": "20260301",
    "TRGT_DT": "",
    "PDPM_NURSING_CMG": "",
    "RUG_IV_GROUP": "",
}


def changes(dates: Any, codes: Any, names: Any, ssns: Any, **more: Any) -> Any:
    """A hypothesis strategy of items to override in ``raw``: some, each from its strategy.

    ``more`` gives the strategy of any other item; the identity and group items
    have small defaults.
    """
    from hypothesis import strategies as st

    items = {
        "STATE_CD": st.sampled_from(["CA", "ca", "", "TX"]),
        "FAC_ID": st.sampled_from(["F1", "f1", "", "F2"]),
        "A0100B": st.sampled_from(["055001", "", "055002"]),
        "RESIDENT_INTERNAL_ID": st.sampled_from(["", "R1", "r1"]),
        "A0500A": names,
        "A0500C": names,
        "A0600A": ssns,
        "A0800": st.sampled_from(["1", "2", "", "9"]),
        **dict.fromkeys(("A0900", "A1600", "A2000", "A2300", "TRGT_DT"), dates),
        **dict.fromkeys(("A0310A", "A0310B", "A0310F", "A1700", "A2100"), codes),
        "PDPM_NURSING_CMG": st.sampled_from(["", "LBC1"]),
        "RUG_IV_GROUP": st.sampled_from(["", "RUA"]),
    }
    return st.fixed_dictionaries({}, optional=items | more)


def raw(**items: str) -> dict[str, str]:
    """A valid quarterly record, with ``items`` overriding the defaults."""
    return BASE | items


def write_extract(path: Path, rows: list[dict[str, str]]) -> Path:
    """Write ``rows`` as an MDS extract CSV."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def insert(
    con: Any,
    resident: str,
    a0310f: str,
    target: date,
    *,
    facility: str = "055001",
    entry: date | None = None,
    group: str = "",
) -> None:
    """Insert one already-valid record straight into ``mds_assessments``."""
    n = con.execute("SELECT count(*) FROM mds_assessments").fetchone()[0]
    con.execute(
        "INSERT INTO mds_assessments (ccn, resident_key, a0310f, target_date, entry_date,"
        " nursing_group, source_file, sha256, record) VALUES (?, ?, ?, ?, ?, ?, 't', 't', ?)",
        [facility, resident, a0310f, target, entry, group, f"line {n + 2:09d}"],
    )
