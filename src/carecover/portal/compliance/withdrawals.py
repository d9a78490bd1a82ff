"""An attestation of no incidents gives way to a report filed for its period.

An organisation that attested "no incidents" for a period and then submits a
report into it was wrong in the attestation: the period now has a filing.
``withdraw_attestation`` removes the attestation, keeps a note for the MCO
(``AttestationWithdrawal``) and writes an audit entry, in the caller's
transaction (``incidents.filing.submit``).
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import QuerySet

from carecover.portal.accounts.models import Organisation, User
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record
from carecover.portal.compliance.models import Attestation, AttestationWithdrawal
from carecover.portal.compliance.services import scheme

__all__ = ["visible_withdrawals", "withdraw_attestation"]


def withdraw_attestation(
    user: User, organisation: Organisation, day: date, report_id: str, *, now: datetime
) -> AttestationWithdrawal | None:
    """Withdraw the organisation's attestation of the period holding ``day``, if there is one.

    Returns the note left for the MCO, or None when the period was not attested.
    """
    period = scheme().period_for(day)
    attestation = (
        Attestation.objects.select_for_update()
        .filter(organisation=organisation, period_start=period.start)
        .first()
    )
    if attestation is None:
        return None
    note = AttestationWithdrawal.objects.create(
        organisation=organisation,
        period_start=attestation.period_start,
        attested_at=attestation.attested_at,
        attested_by_id=attestation.attested_by_id,
        withdrawn_at=now,
        withdrawn_by=user,
        report_id=report_id,
    )
    before = {
        "organisation": organisation.code,
        "period_start": attestation.period_start.isoformat(),
        "attested_at": attestation.attested_at.isoformat(),
    }
    object_id = str(attestation.pk)
    attestation.delete()
    record(
        user,
        Action.REVOKE,
        object_type="attestation",
        object_id=object_id,
        before=before,
        after={"withdrawn_by_report": report_id, "note": note.pk},
    )
    return note


def visible_withdrawals(user: User) -> QuerySet[AttestationWithdrawal]:
    """Withdrawn attestations ``user`` may read: MCO users all, filers their own."""
    notes = AttestationWithdrawal.objects.select_related("organisation")
    if user.is_mco:
        return notes
    if user.files_reports:
        return notes.filter(organisation=user.organisation_id)
    return notes.none()
