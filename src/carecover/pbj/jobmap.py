"""Payroll job titles mapped to PBJ ``jobTitleCode`` values (1–40).

Payroll systems name jobs their own way ("Staff RN", "STNA", "Med Tech").
A mapping file turns those names into PBJ codes; it is a CSV with exactly the
columns ``job_title,job_title_code``. Titles match case-insensitively, with
surrounding spaces trimmed and runs of inner spaces collapsed. A default
mapping of common titles ships in ``carecover/data/pbj/job_title_mapping.csv``;
it is a convenience, not CMS text — each facility must check that its titles
land on the code the PBJ Policy Manual asks for (e.g. an RN MDS coordinator is
code 6, not 7; cms-staffing-methodology.md §1.4).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from carecover.errors import InputError, NotFoundError
from carecover.pbj.codes import job_title

__all__ = ["DEFAULT_MAPPING_NAME", "JobMapping", "load_job_mapping", "normalize_title"]

DEFAULT_MAPPING_NAME = "job_title_mapping.csv"
_COLUMNS = ("job_title", "job_title_code")


def normalize_title(title: str) -> str:
    """The key a title is matched on: trimmed, inner spaces collapsed, case-folded."""
    return " ".join(title.split()).casefold()


@dataclass(frozen=True)
class JobMapping:
    """Payroll job titles (normalized) to PBJ job title codes."""

    codes: dict[str, int] = field(default_factory=dict)
    source: str = ""

    def code_for(self, title: str) -> int:
        """The PBJ code for ``title``; ``NotFoundError`` when the mapping lacks it."""
        try:
            return self.codes[normalize_title(title)]
        except KeyError:
            where = f" in {self.source}" if self.source else ""
            raise NotFoundError(f"job title {title.strip()!r} is not mapped{where}") from None

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
        text = (
            resources.files("carecover")
            .joinpath("data", "pbj", DEFAULT_MAPPING_NAME)
            .read_text(encoding="utf-8")
        )
        name = f"carecover/data/pbj/{DEFAULT_MAPPING_NAME}"
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
