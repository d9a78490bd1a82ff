"""Provider-information releases in the history store: chain, certified beds, turnover.

``NH_ProviderInfo`` files are read by ``carecover.rating.providerfile`` (header
eras, encodings, CCN checks, ranges); this module adds the two facility
attributes the peers need and that reader does not keep — the chain name and
the number of certified beds — and stores one row per release and facility
in ``provider_info``:

- ``release`` is the file's processing date (a release without one is
  refused: the date decides which PBJ quarter its turnover describes);
- ``staffing_quarter`` is the PBJ quarter behind the release's staffing
  figures, two quarters earlier (peers-and-public-files.md: Oct–Dec releases
  show Q2, Jan–Mar Q3 of the year before, Apr–Jun Q4, Jul–Sep Q1);
- loading the same bytes twice changes nothing (``loaded_files``); another
  file of the same release replaces that release's rows whole.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carecover.errors import InputError
from carecover.pbj.calendar import Quarter
from carecover.pbj.publicfile.filebytes import read_file_bytes
from carecover.storefile import abort

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = [
    "PROVIDER_DDL",
    "is_provider_info",
    "load_provider_release",
    "staffing_quarter",
]

PROVIDER_DDL = """CREATE TABLE IF NOT EXISTS provider_info (
    release DATE NOT NULL,
    staffing_quarter VARCHAR NOT NULL,
    provnum VARCHAR NOT NULL,
    provname VARCHAR,
    state VARCHAR,
    chain VARCHAR,
    certified_beds DOUBLE,
    total_turnover DOUBLE,
    rn_turnover DOUBLE,
    sha256 VARCHAR NOT NULL,
    PRIMARY KEY (release, provnum)
)"""

# Extra columns, by normalised header (``providerfile.normalise``), newest name first.
_CHAIN = ("chain name", "affiliated entity name")
_BEDS = ("number of certified beds", "bedcert")
_PROVIDER_MARKERS = ("federal provider number", "cms certification number (ccn)")
_MAX_BEDS = 2_000  # the largest US nursing homes have under 1,500 certified beds


def staffing_quarter(release: date) -> Quarter:
    """The PBJ quarter whose staffing a provider-information release of ``release`` shows."""
    # Two quarters back from the release's own quarter.
    index = release.year * 4 + (release.month - 1) // 3 - 2
    return Quarter(index // 4, index % 4 + 1)


def _head(path: Path) -> list[str]:
    from carecover.rating.providerfile import normalise

    with path.open("rb") as handle:
        first = handle.readline(65_536)
    text = first.decode("utf-8-sig", errors="replace")
    return [normalise(h) for h in next(csv.reader([text]), [])]


def is_provider_info(path: str | Path) -> bool:
    """Whether ``path``'s header is an NH_ProviderInfo header (not a daily staffing file)."""
    names = _head(Path(path))
    return any(n in _PROVIDER_MARKERS for n in names) or (
        "provnum" in names and "workdate" not in names and "cy_qtr" not in names
    )


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _extra_columns(path: Path, rows: int) -> tuple[list[str | None], list[float | None]]:
    """The chain names and certified beds of ``path``, in file order (``None`` when absent)."""
    from carecover.rating.providerfile import normalise

    reader = csv.reader(io.StringIO(_decode(path.read_bytes()), newline=""))
    header = [normalise(h) for h in next(reader)]
    chain_at = next((header.index(n) for n in _CHAIN if n in header), None)
    beds_at = next((header.index(n) for n in _BEDS if n in header), None)
    chains: list[str | None] = []
    beds: list[float | None] = []
    line = 1
    for row in reader:
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        chains.append((row[chain_at].strip() or None) if chain_at is not None else None)
        beds.append(_beds(row[beds_at], str(path), line) if beds_at is not None else None)
    if len(chains) != rows:
        raise InputError(f"{len(chains)} rows where the reader saw {rows}", file=str(path))
    return chains, beds


def _beds(text: str, file: str, line: int) -> float | None:
    value = text.strip()
    if value.lower() in ("", ".", "nan", "na", "n/a"):
        return None
    try:
        beds = float(value)
    except ValueError:
        raise InputError(
            f"not a number: {value[:40]}", file=file, line=line, field="Number of Certified Beds"
        ) from None
    if not math.isfinite(beds) or beds < 0 or beds > _MAX_BEDS:
        raise InputError(
            f"implausible number of certified beds {value[:40]} (0 to {_MAX_BEDS})",
            file=file,
            line=line,
            field="Number of Certified Beds",
        )
    return beds


def _number(values: Any, i: int) -> float | None:
    value = float(values[i])
    return value if math.isfinite(value) else None


def load_provider_release(con: DuckDBPyConnection, path: str | Path) -> tuple[str, int, bool]:
    """Load one NH_ProviderInfo file atomically: (release date, rows loaded, skipped)."""
    from carecover.rating.providerfile import read_provider_info

    file = Path(path)
    digest = read_file_bytes(file, sha256=True).sha256
    con.execute(PROVIDER_DDL)
    seen = con.execute("SELECT quarters FROM loaded_files WHERE sha256 = ?", [digest]).fetchall()
    if seen:
        return seen[0][0], 0, True
    info = read_provider_info(file)
    release = info.processing_date()
    if release is None:
        raise InputError(
            "no processing date (the release date decides which quarter its turnover describes)",
            file=str(file),
            line=2,
            field="Processing Date",
        )
    chains, beds = _extra_columns(file, len(info))
    quarter = str(staffing_quarter(release))
    names = info.text.get("provname") or [""] * len(info)
    states = info.text.get("state") or [""] * len(info)
    total = info.number("total_turnover")
    rn = info.number("rn_turnover")
    rows = [
        (
            release,
            quarter,
            ccn,
            names[i].strip() or None,
            states[i].strip().upper() or None,
            chains[i],
            beds[i],
            _number(total, i),
            _number(rn, i),
            digest,
        )
        for i, ccn in enumerate(info.provnum)
    ]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM provider_info WHERE release = ?", [release])
        con.executemany(
            "INSERT OR REPLACE INTO provider_info VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
        )
        con.execute(
            "INSERT INTO loaded_files (sha256, file, kind, rows_loaded, rows_quarantined, "
            "quarters) VALUES (?, ?, 'provider_info', ?, 0, ?)",
            [digest, str(file), len(rows), release.isoformat()],
        )
        con.execute("COMMIT")
    except BaseException as exc:
        abort(con, exc)
    return release.isoformat(), len(rows), False
