"""Reading CMS's NH_ProviderInfo file, any release since 2018.

Traps handled (peers-and-public-files.md, reference §2.3):

- cp1252 text (0x92, 0x96 in names), or UTF-8 with or without a BOM;
- three header eras: ``provnum``/``STAFFING_RATING``/``adj_rn`` (2018–2019
  downloads), ``Federal Provider Number`` (2020 – mid 2023) and ``CMS
  Certification Number (CCN)`` (since June 2023); names compared without
  case, spacing or an 8-hex hash suffix (``...per day-8cd5ab5e``), and a
  truncated name matches the one field it is a prefix of;
- the CCN is a 6-character text (leading zeros kept, letters allowed); a
  float-mangled CCN (``15009.0``) or one that lost its leading zero is refused;
- empty, ``.``, ``nan`` and ``NA`` cells are missing values, never zero.

Footnotes that change a rating (``footnotes.py``) become forced one-star /
no-rating reasons and turnover policies on the ``FacilityMeasures``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from carecover.errors import InputError, NotFoundError
from carecover.rating.footnotes import footnote, parse_codes
from carecover.rating.measures import FacilityMeasures
from carecover.rating.ranges import check_range

__all__ = ["FIELDS", "ProviderFile", "read_provider_info"]

FloatArray = npt.NDArray[np.float64]

# logical field -> accepted header names across releases (normalised form)
FIELDS: dict[str, tuple[str, ...]] = {
    "provnum": ("cms certification number (ccn)", "federal provider number", "provnum"),
    "provname": ("provider name", "provname"),
    "state": ("state", "provider state"),
    "overall_rating": ("overall rating", "overall_rating"),
    "health_inspection_rating": ("health inspection rating", "survey_rating"),
    "qm_rating": ("qm rating", "quality_rating"),
    "staffing_rating": ("staffing rating", "staffing_rating"),
    "staffing_rating_fn": ("staffing rating footnote", "staffing_rating_fn"),
    "rn_staffing_rating": ("rn staffing rating", "rn_staffing_rating"),
    "rn_staffing_rating_fn": ("rn staffing rating footnote", "rn_staffing_rating_fn"),
    "reported_staffing_fn": ("reported staffing footnote", "staffing_flag"),
    "reported_aide": (
        "reported nurse aide staffing hours per resident per day",
        "reported cna staffing hours per resident per day",
        "aidhrd",
    ),
    "reported_rn": ("reported rn staffing hours per resident per day", "rnhrd"),
    "reported_total": ("reported total nurse staffing hours per resident per day", "tothrd"),
    "reported_weekend_total": (
        "total number of nurse staff hours per resident per day on the weekend",
    ),
    "reported_weekend_rn": ("registered nurse hours per resident per day on the weekend",),
    "total_turnover": ("total nursing staff turnover",),
    "total_turnover_fn": ("total nursing staff turnover footnote",),
    "rn_turnover": ("registered nurse turnover",),
    "rn_turnover_fn": ("registered nurse turnover footnote",),
    "admin_departures": ("number of administrators who have left the nursing home",),
    "admin_fn": ("administrator turnover footnote",),
    "cmi": ("nursing case-mix index",),
    "cmi_ratio": ("nursing case-mix index ratio",),
    "casemix_rn": (
        "case-mix rn staffing hours per resident per day",
        "expected rn staffing hours per resident per day",
        "exp_rn",
    ),
    "casemix_total": (
        "case-mix total nurse staffing hours per resident per day",
        "expected total nurse staffing hours per resident per day",
        "exp_total",
    ),
    "casemix_weekend_total": ("case-mix weekend total nurse staffing hours per resident per day",),
    "adjusted_aide": (
        "adjusted nurse aide staffing hours per resident per day",
        "adjusted cna staffing hours per resident per day",
        "adj_aide",
    ),
    "adjusted_rn": ("adjusted rn staffing hours per resident per day", "adj_rn"),
    "adjusted_total": ("adjusted total nurse staffing hours per resident per day", "adj_total"),
    "adjusted_weekend_total": ("adjusted weekend total nurse staffing hours per resident per day",),
    "processing_date": ("processing date", "filedate"),
}
NUMERIC = (
    "overall_rating",
    "health_inspection_rating",
    "qm_rating",
    "staffing_rating",
    "rn_staffing_rating",
    "reported_aide",
    "reported_rn",
    "reported_total",
    "reported_weekend_total",
    "reported_weekend_rn",
    "total_turnover",
    "rn_turnover",
    "admin_departures",
    "cmi",
    "cmi_ratio",
    "casemix_rn",
    "casemix_total",
    "casemix_weekend_total",
    "adjusted_aide",
    "adjusted_rn",
    "adjusted_total",
    "adjusted_weekend_total",
)
_HASH = re.compile(r"-[0-9a-f]{8}$")
_MISSING = {"", ".", "nan", "na", "n/a", "null", "none"}
_CCN = re.compile(r"^[0-9A-Z]{6}$")
_MIN_PREFIX = 20  # a truncated header shorter than this is too ambiguous to match


def normalise(header: str) -> str:
    """Header name compared without case, quotes, spacing or a hash suffix."""
    text = header.strip().strip('"').strip().lower()
    text = _HASH.sub("", text)
    return " ".join(text.split())


def _match_headers(header: list[str]) -> dict[str, int]:
    names = [normalise(h) for h in header]
    exact = {alias: f for f, aliases in FIELDS.items() for alias in aliases}
    found: dict[str, int] = {}
    for i, name in enumerate(names):
        f = exact.get(name)
        if f is not None and f not in found:
            found[f] = i
    for i, name in enumerate(names):
        if name in exact or len(name) < _MIN_PREFIX:
            continue
        candidates = {f for alias, f in exact.items() if alias.startswith(name)}
        if len(candidates) == 1:
            (f,) = candidates
            found.setdefault(f, i)
    return found


def _decode(data: bytes, file: str) -> str:
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff") or b"\x00" in data[:4096]:
        raise InputError("not a text CSV file (UTF-16 or binary)", file=file)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"byte 0x{data[exc.start]:02x} is neither UTF-8 nor cp1252", file=file, line=line
        ) from None


def _floats(texts: list[str], lines: list[int], header: str, file: str) -> FloatArray:
    try:
        # Fast path: numpy parses the decimal strings itself, one call per column.
        return np.array([t or "nan" for t in texts], dtype=float)
    except ValueError:
        pass
    cleaned = ["nan" if t.strip().lower() in _MISSING else t.strip() for t in texts]
    try:
        return np.array(cleaned, dtype=float)
    except ValueError:
        pass
    for i, text in enumerate(cleaned):
        try:
            float(text)
        except ValueError:
            raise InputError(
                f"not a number: {text!r}", file=file, line=lines[i], field=header
            ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _check_ccn(values: list[str], lines: list[int], header: str, file: str) -> None:
    for i, v in enumerate(values):
        if _CCN.match(v):
            continue
        line = lines[i]
        if re.fullmatch(r"\d+\.0+", v):
            raise InputError(
                f"float-mangled CCN {v} (the file was saved by a tool that read CCNs as numbers)",
                file=file,
                line=line,
                field=header,
            )
        hint = " (leading zero lost?)" if re.fullmatch(r"\d{5}", v) else ""
        raise InputError(
            f"CCN must be 6 letters or digits, got {v!r}{hint}", file=file, line=line, field=header
        )


@dataclass
class ProviderFile:
    """One NH_ProviderInfo file: text columns by logical field, numbers parsed."""

    file: str
    headers: dict[str, str]  # logical field -> header as written in the file
    text: dict[str, list[str]]
    numbers: dict[str, FloatArray]

    def __len__(self) -> int:
        return len(self.text["provnum"])

    @property
    def provnum(self) -> list[str]:
        """CCNs in file order."""
        return self.text["provnum"]

    def require(self, fields: tuple[str, ...], why: str) -> None:
        """Raise ``InputError`` naming the first of ``fields`` the file has no column for.

        A renamed column must not pass as a measure missing for every facility
        (issue 12 §1): the method would rescale every facility's points.
        """
        for f in fields:
            if f not in self.headers:
                raise InputError(
                    f"no column {FIELDS[f][0]!r} ({why}; renamed or left out?)",
                    file=self.file,
                    line=1,
                )

    def number(self, field: str) -> FloatArray:
        """A numeric column (all NaN when the release does not have it)."""
        return self.numbers.get(field, np.full(len(self), np.nan))

    def processing_date(self) -> date | None:
        """The release's processing date (first row), if the file has one."""
        values = self.text.get("processing_date")
        if not values:
            return None
        raw = values[0].strip()
        for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%Y%m%d"):
            try:
                return datetime.strptime(raw, fmt).date()
            except ValueError:
                continue
        return None

    def index_of(self, provnum: str) -> int:
        """Row of a CCN (``NotFoundError`` if absent)."""
        try:
            return self.provnum.index(provnum)
        except ValueError:
            raise NotFoundError(f"facility {provnum} is not in {self.file}") from None

    def _column(self, field: str) -> list[str]:
        return self.text.get(field) or [""] * len(self)

    def _footnote_effects(self, fields: tuple[str, ...]) -> tuple[list[str], list[str]]:
        one_star: list[str] = []
        no_rating: list[str] = []

        @cache
        def effects(cells: tuple[str, ...]) -> tuple[str, str]:
            star_reason = none_reason = ""
            for cell in cells:
                for code in parse_codes(cell):
                    note = footnote(code)
                    if note is None:
                        continue
                    if note.effect == "one_star" and not star_reason:
                        star_reason = f"CMS footnote {code} ({note.text})"
                    elif note.effect == "no_rating" and not none_reason:
                        none_reason = f"CMS footnote {code} ({note.text})"
            return star_reason, none_reason

        for cells in zip(*(self._column(f) for f in fields), strict=True):
            star_reason, none_reason = effects(cells)
            one_star.append(star_reason)
            no_rating.append(none_reason)
        return one_star, no_rating

    def _turnover_policy(self, field: str) -> list[str]:
        @cache
        def policy(cell: str) -> str:
            effects = {fn.effect for c in parse_codes(cell) if (fn := footnote(c)) is not None}
            return "lowest" if "lowest_points" in effects else "drop" if "drop" in effects else ""

        return [policy(cell) for cell in self._column(field)]

    def measures(self) -> FacilityMeasures:
        """The rating inputs, with the footnotes that decide a rating applied."""
        one_star, no_rating = self._footnote_effects(
            ("staffing_rating_fn", "rn_staffing_rating_fn", "reported_staffing_fn")
        )
        return FacilityMeasures.build(
            self.provnum,
            adjusted_total=self.number("adjusted_total"),
            adjusted_rn=self.number("adjusted_rn"),
            adjusted_weekend_total=self.number("adjusted_weekend_total"),
            total_turnover=self.number("total_turnover"),
            rn_turnover=self.number("rn_turnover"),
            admin_departures=self.number("admin_departures"),
            forced_one_star=one_star,
            forced_no_rating=no_rating,
            # No ``reported`` HPRD: the implausible-value exclusions are for the
            # hours CMS computes from PBJ, and a published row has already passed
            # them (issue 14 §5: 16 of the August 2021 file's facilities with
            # adjusted total HPRD 8.5-13 were rated 4-5 stars by CMS).
            policy={
                "total_nurse_turnover_pct": self._turnover_policy("total_turnover_fn"),
                "rn_turnover_pct": self._turnover_policy("rn_turnover_fn"),
                "administrator_departures": self._turnover_policy("admin_fn"),
            },
        )


def read_provider_info(path: str | Path) -> ProviderFile:
    """Read an NH_ProviderInfo CSV of any release since 2018."""
    file = str(path)
    text = _decode(Path(path).read_bytes(), file)
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows)
    except StopIteration:
        raise InputError("empty file", file=file) from None
    except csv.Error as exc:
        raise InputError(f"unreadable header ({exc})", file=file, line=1) from None
    found = _match_headers(header)
    if "provnum" not in found:
        raise InputError(
            "no CCN column (expected 'CMS Certification Number (CCN)', "
            "'Federal Provider Number' or 'provnum')",
            file=file,
            line=1,
        )
    if "adjusted_total" not in found and "adjusted_rn" not in found:
        raise InputError(
            "no adjusted staffing columns (not an NH_ProviderInfo file?)", file=file, line=1
        )
    records: list[list[str]] = []
    lines: list[int] = []
    width = len(header)
    start = 2  # a quoted field may span lines (older Location cells): count from the reader
    try:
        for row in rows:
            if row and not (len(row) == 1 and not row[0].strip()):
                if len(row) != width:
                    raise InputError(
                        f"{len(row)} fields where the header has {width}", file=file, line=start
                    )
                records.append(row)
                lines.append(start)
            start = rows.line_num + 1
    except csv.Error as exc:
        raise InputError(f"unreadable row ({exc})", file=file, line=rows.line_num) from None
    columns = {f: [r[i] for r in records] for f, i in found.items()}
    columns["provnum"] = [v.strip().upper() for v in columns["provnum"]]
    _check_ccn(columns["provnum"], lines, header[found["provnum"]], file)
    numbers = {
        f: _floats(columns[f], lines, header[found[f]], file) for f in NUMERIC if f in columns
    }
    for f, values in numbers.items():
        check_range(f, values, lines, header=header[found[f]], file=file)
    return ProviderFile(
        file=file,
        headers={f: header[i] for f, i in found.items()},
        text=columns,
        numbers=numbers,
    )
