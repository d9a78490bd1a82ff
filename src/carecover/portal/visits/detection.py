"""An uploaded visit file: read, its interruptions found and matched to the uploader's members.

Only the uploading organisation's own member records are matched (by
Medicaid id, and the name and birth date when the file gives them). A visit
of another provider, or of a member the organisation keeps no record of, is
listed for the user to resolve: never created, never attached to another
organisation's member, and nothing of another organisation is revealed.
"""

from __future__ import annotations

import hashlib
import tempfile
from datetime import datetime
from pathlib import Path

from django.db import transaction

from carecover.backup.visit_layout import load_mapping, mapping_names, read_visits
from carecover.backup.visits import UNEXPLAINED, Interruption, interruption_row, interruptions
from carecover.errors import InputError
from carecover.portal.accounts.models import User
from carecover.portal.incidents.members import own_record
from carecover.portal.incidents.models import Member
from carecover.portal.visits.models import DetectedInterruption, Outcome, VisitUpload

__all__ = ["MAX_UPLOAD_BYTES", "detect", "portal_mappings"]

#: A month of one agency's visits is far smaller; a bigger file is not a visit file.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def portal_mappings() -> list[str]:
    """The layouts the portal accepts: the shipped ones only (no user file paths)."""
    return mapping_names()


def _differs(item: Interruption, row: Member) -> str:
    """What the file says of the member that the organisation's record does not."""
    issues = []
    if item.member_last_name and item.member_last_name.casefold() != row.last_name.casefold():
        issues.append("last name")
    if item.member_first_name and item.member_first_name.casefold() != row.first_name.casefold():
        issues.append("first name")
    if item.member_date_of_birth and item.member_date_of_birth != row.date_of_birth:
        issues.append("birth date")
    return ", ".join(issues)


def _match(user: User, item: Interruption) -> tuple[Member | None, Outcome, str]:
    organisation = user.organisation
    assert organisation is not None
    if item.provider_id.strip().upper() != organisation.code.upper():
        return (
            None,
            Outcome.UNMATCHED,
            (
                f"the visit is of provider {item.provider_id}, not yours ({organisation.code}):"
                " only your own visits become reports"
            ),
        )
    row = own_record(organisation, item.member_medicaid_id)
    if row is None:
        return (
            None,
            Outcome.UNMATCHED,
            (
                "none of your member records has this Medicaid id: check the id, or file one"
                " report for the member by hand so that a record exists, then upload again"
            ),
        )
    different = _differs(item, row)
    if different:
        return (
            None,
            Outcome.UNMATCHED,
            (
                f"your member record has a different {different}: correct the visit file or"
                " the member record, then upload again"
            ),
        )
    if item.kind == UNEXPLAINED:
        return (
            row,
            Outcome.EXPLAIN,
            (
                "the visit fell short of its schedule with no cause recorded: record the cause"
                " in EVV (or the cause column) and upload again"
            ),
        )
    return row, Outcome.PENDING, ""


def _windows(item: Interruption) -> list[list[str]]:
    return [[s.isoformat(), e.isoformat()] for s, e in item.scheduled]


def detect(user: User, data: bytes, mapping: str, *, now: datetime) -> VisitUpload:
    """Store the interruptions of an uploaded visit file; the same file again is found again.

    ``InputError`` naming ``visits.csv``, the line and the column when the file
    is not a readable visit file of that layout (nothing is stored then).
    """
    organisation = user.organisation
    assert organisation is not None
    if mapping not in portal_mappings():
        raise InputError(f"unknown layout {mapping!r}", field="mapping")
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB", field="file")
    digest = hashlib.sha256(data).hexdigest()
    existing = VisitUpload.objects.filter(organisation=organisation, sha256=digest).first()
    if existing is not None:
        return existing
    with tempfile.TemporaryDirectory(prefix="carecover-visits-") as folder:
        # A neutral name: errors name "visits.csv", never the user's file name.
        path = Path(folder) / "visits.csv"
        path.write_bytes(data)
        try:
            visits = read_visits(path, load_mapping(mapping))
        except InputError as exc:
            # The whole located message (visits.csv:LINE: column: ...) is about the file.
            raise InputError(str(exc), field="file") from None
    found = interruptions(visits)
    with transaction.atomic():
        upload = VisitUpload.objects.create(
            organisation=organisation,
            uploaded_by=user,
            uploaded_at=now,
            sha256=digest,
            mapping=mapping,
            visits=len({v.schedule_key for v in visits}),
        )
        for item in found:
            member, outcome, problem = _match(user, item)
            row = interruption_row(item)
            DetectedInterruption.objects.create(
                upload=upload,
                member=member,
                member_medicaid_id=item.member_medicaid_id[:20],
                member_name=f"{item.member_first_name} {item.member_last_name}".strip()[:200],
                provider_id=item.provider_id[:40],
                incident_date=item.incident_date,
                service_code=item.service_code[:20],
                hours_without_staff=item.hours_without_staff,
                kind=item.kind,
                report_required=item.report_required,
                rule=item.rule[:200],
                cause=item.cause.value if item.cause else "",
                backup=item.backup.value if item.backup else "",
                scheduled=str(row["scheduled"])[:200],
                gaps=str(row["gaps"])[:400],
                lines=str(row["lines"])[:200],
                windows=_windows(item),
                outcome=outcome,
                problem=problem,
            )
    return upload
