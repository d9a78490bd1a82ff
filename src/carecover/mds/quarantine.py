"""The Errors report: quarantined MDS records, one row per problem, never an SSN.

Every record refused at load time (``validation``) sits in ``mds_quarantine``
with its file, record locator (``line N`` of a CSV, the member name of a
ZIP) and each problem named by item. The report lists them so the facility
can correct and resubmit; the SSN (A0600A) was dropped before the raw record
was kept, and names are shown only to find the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["RecordError", "record_errors"]


@dataclass(frozen=True)
class RecordError:
    """One problem with one quarantined record."""

    facility: str
    source_file: str
    record: str
    item: str
    problem: str
    a0310f: str
    first_name: str
    last_name: str
    loaded_on: date | None
    error: str = ""  # CMS's error number or "ours: <check>" (sequencing); "" when refused


def record_errors(
    con: DuckDBPyConnection, *, facility: str | None = None, on: date | None = None
) -> list[RecordError]:
    """Quarantined records (loaded on or before ``on``, when given), one row per problem."""
    rows = con.execute(
        """
        WITH q AS (
            SELECT q.*, f.loaded_at::DATE AS loaded_on,
                coalesce(q.problem_list::JSON, to_json([{'item': '', 'problem': q.problems}]))
                    AS plist
            FROM mds_quarantine q JOIN mds_loaded_files f USING (sha256)
        ), one AS (
            SELECT *, unnest(from_json(plist, '[{"item": "VARCHAR", "problem": "VARCHAR"}]'))
                AS p
            FROM q
        )
        SELECT coalesce(raw->>'A0100B', ''), source_file, record, p.item, p.problem,
               coalesce(raw->>'A0310F', ''), coalesce(raw->>'A0500A', ''),
               coalesce(raw->>'A0500C', ''), loaded_on
        FROM one
        WHERE ($facility IS NULL OR raw->>'A0100B' = $facility)
          AND ($on IS NULL OR loaded_on <= $on)
        ORDER BY 1, source_file, len(record), record, p.item
        """,
        {"facility": facility, "on": on},
    ).fetchall()
    return [RecordError(*r) for r in rows]
