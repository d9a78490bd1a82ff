"""Payroll job titles mapped to PBJ ``jobTitleCode`` values (1–40).

Payroll systems name jobs their own way ("Staff RN", "STNA", "Med Tech").
A mapping file turns those names into PBJ codes; it is a CSV with the columns
``job_title,job_title_code`` (others, e.g. ``source``, are ignored). Titles
match case-insensitively, with surrounding spaces trimmed and runs of inner
spaces collapsed. A default mapping of common titles ships in
``carecover/data/pbj/job_title_mapping.csv``; it is a convenience, not CMS
text, and holds only titles whose code the title itself settles, each with
its source.

Job titles are never guessed. Titles whose code depends on who holds the job
("MDS Coordinator": 6 for an RN, 8 for an LPN; cms-staffing-methodology.md
§1.4) are listed with their candidate codes in ``ambiguous_job_titles.csv``:
with the default mapping such a title is refused (``JobMapping.ambiguous``,
``unmapped_error``), and the facility maps it in its own file. Defaulting an
LPN's "Unit Manager" hours to code 6 would raise RN hours and hide days
without an RN: an audit finding.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from carecover.errors import InputError, NotFoundError
from carecover.pbj.codes import job_title

__all__ = [
    "AMBIGUOUS_TITLES_NAME",
    "DEFAULT_MAPPING_NAME",
    "JobMapping",
    "ambiguous_titles",
    "load_job_mapping",
    "normalize_title",
]

DEFAULT_MAPPING_NAME = "job_title_mapping.csv"
AMBIGUOUS_TITLES_NAME = "ambiguous_job_titles.csv"
_COLUMNS = ("job_title", "job_title_code")


def normalize_title(title: str) -> str:
    """The key a title is matched on: trimmed, inner spaces collapsed, case-folded."""
    return " ".join(title.split()).casefold()


def _data_text(name: str) -> str:
    return resources.files("carecover").joinpath("data", "pbj", name).read_text(encoding="utf-8")


def ambiguous_titles() -> dict[str, tuple[int, ...]]:
    """Titles (normalized) whose PBJ code depends on the holder, with the candidate codes."""
    out: dict[str, tuple[int, ...]] = {}
    for row in csv.DictReader(io.StringIO(_data_text(AMBIGUOUS_TITLES_NAME))):
        out[normalize_title(row["job_title"])] = tuple(
            job_title(c).code for c in row["candidate_codes"].split()
        )
    return out


@dataclass(frozen=True)
class JobMapping:
    """Payroll job titles (normalized) to PBJ job title codes.

    ``ambiguous`` (the shipped default only) holds titles the user must map.
    """

    codes: dict[str, int] = field(default_factory=dict)
    source: str = ""
    ambiguous: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def code_for(self, title: str) -> int:
        """The PBJ code for ``title``; ``NotFoundError`` when unmapped or ambiguous."""
        key = normalize_title(title)
        if key in self.codes:
            return self.codes[key]
        if key in self.ambiguous:
            raise NotFoundError(self.unmapped_error([title]))
        where = f" in {self.source}" if self.source else ""
        raise NotFoundError(f"job title {title.strip()!r} is not mapped{where}")

    def is_ambiguous(self, title: str) -> bool:
        """Whether ``title`` is one the user must map (its code depends on the holder)."""
        key = normalize_title(title)
        return key not in self.codes and key in self.ambiguous

    def unmapped_error(self, titles: list[str]) -> str:
        """The message that lists ambiguous ``titles`` to map, with candidate codes."""
        parts = []
        for title in dict.fromkeys(" ".join(t.split()) for t in titles):
            codes = self.ambiguous.get(normalize_title(title), ())
            named = " or ".join(f"{c} ({job_title(str(c)).title})" for c in codes)
            parts.append(f"{title!r}: {named}")
        return (
            "job titles to map: the PBJ code depends on who holds the job, so carecover does "
            "not guess it; give a mapping file (--mapping, columns job_title,job_title_code) "
            "with " + "; ".join(parts)
        )

    def __contains__(self, title: object) -> bool:
        return isinstance(title, str) and normalize_title(title) in self.codes

    def __len__(self) -> int:
        return len(self.codes)


def load_job_mapping(path: Path | None = None) -> JobMapping:
    """Read a ``job_title,job_title_code`` mapping file; the shipped default when ``path`` is None.

    Every code must be a PBJ job title code (1–40); a title listed twice with
    different codes is an error, because the export could not know which one
    the facility meant.
    """
    if path is None:
        name = f"carecover/data/pbj/{DEFAULT_MAPPING_NAME}"
        mapping = _parse(_data_text(DEFAULT_MAPPING_NAME), name)
        return JobMapping(mapping.codes, name, ambiguous_titles())
    else:
        name = str(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text ({exc})", file=name) from None
    return _parse(text, name)


def _parse(text: str, name: str) -> JobMapping:
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().casefold() for h in next(reader, [])]
    missing = [c for c in _COLUMNS if c not in header]
    if missing:
        raise InputError(
            f"mapping file needs the columns {', '.join(_COLUMNS)}; missing {', '.join(missing)}",
            file=name,
            line=1,
        )
    t_idx, c_idx = header.index("job_title"), header.index("job_title_code")
    codes: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (len(header) - len(row))
        title, raw_code = normalize_title(cells[t_idx]), cells[c_idx].strip()
        if not title:
            raise InputError("empty job title", file=name, line=line, field="job_title")
        try:
            code = job_title(raw_code).code
        except NotFoundError as exc:
            raise InputError(str(exc), file=name, line=line, field="job_title_code") from None
        if codes.get(title, code) != code:
            raise InputError(
                f"job title {cells[t_idx].strip()!r} is mapped to both {codes[title]} and {code}",
                file=name,
                line=line,
                field="job_title_code",
            )
        codes[title] = code
    return JobMapping(codes, name)
