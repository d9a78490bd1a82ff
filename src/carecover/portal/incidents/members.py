"""Member records: each organisation keeps its own, and corrects it only on purpose.

A member record belongs to one organisation (``Member.organisation``). A
filing finds the filer's organisation's record by Medicaid id or creates one;
it never reads, links or changes another organisation's record, so nothing
about another organisation's member (not even that one exists) can reach the
filer. When what was typed differs from the record
(``member_record.identity_mismatches``) the filing is refused with each
difference on its field, unless the filer asked to correct the record: the
correction is then its own audit event with the old and new values.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from carecover.backup import report as domain
from carecover.backup.member_record import corrected, identity_mismatches
from carecover.errors import FieldProblem, ValidationError
from carecover.portal.accounts.models import Organisation, User
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record
from carecover.portal.incidents.models import Member

__all__ = ["correct_member", "mismatches", "own_record", "record_for", "visible_members"]


def visible_members(user: User) -> QuerySet[Member]:
    """The member records ``user`` may look up: their organisation's, or all for the MCO."""
    if user.is_mco:
        return Member.objects.all()
    if user.files_reports:
        return Member.objects.filter(organisation=user.organisation_id)
    return Member.objects.none()


def own_record(organisation: Organisation, medicaid_id: str) -> Member | None:
    """The organisation's record of the member with this Medicaid id, if it keeps one."""
    return Member.objects.filter(
        organisation=organisation, medicaid_id__iexact=medicaid_id.strip()
    ).first()


def _domain(row: Member) -> domain.Member:
    return domain.Member(
        first_name=row.first_name,
        last_name=row.last_name,
        date_of_birth=row.date_of_birth,
        medicaid_id=row.medicaid_id,
        ssn_hash=row.ssn_hash,
        ssn_last4=row.ssn_last4,
    )


def mismatches(organisation: Organisation, typed: domain.Member) -> list[FieldProblem]:
    """Where ``typed`` differs from the organisation's own record (none if it keeps none)."""
    row = own_record(organisation, typed.medicaid_id)
    return [] if row is None else identity_mismatches(typed, _domain(row))


def _identity(row: Member) -> dict[str, str | None]:
    # What an identity correction is judged on; the SSN hash stays out of the audit.
    return {
        "medicaid_id": row.medicaid_id,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "date_of_birth": row.date_of_birth.isoformat(),
        "ssn_last4": row.ssn_last4,
    }


def correct_member(user: User, row: Member, typed: domain.Member) -> Member:
    """Correct the organisation's member record to ``typed``: audited, old and new values.

    Reports keep the member as they were filed: none of them changes.
    """
    assert user.organisation_id == row.organisation_id
    before = _identity(row)
    fixed = corrected(_domain(row), typed)
    row.first_name = fixed.first_name
    row.last_name = fixed.last_name
    row.date_of_birth = fixed.date_of_birth
    row.ssn_hash = fixed.ssn_hash
    row.ssn_last4 = fixed.ssn_last4
    row.save()
    record(
        user,
        Action.CHANGE,
        object_type="member",
        object_id=str(row.pk),
        before=before,
        after=_identity(row),
    )
    return row


def record_for(user: User, typed: domain.Member, *, correct: bool = False) -> Member:
    """The filer's organisation's record of ``typed`` (by Medicaid id), created if new.

    ``ValidationError`` when the record differs from what was typed, unless
    ``correct`` asks to correct the record (``correct_member``).
    """
    organisation = user.organisation
    assert organisation is not None
    with transaction.atomic():
        row = (
            Member.objects.select_for_update()
            .filter(organisation=organisation, medicaid_id__iexact=typed.medicaid_id.strip())
            .first()
        )
        if row is None:
            return Member.objects.create(
                organisation=organisation,
                first_name=typed.first_name,
                last_name=typed.last_name,
                date_of_birth=typed.date_of_birth,
                medicaid_id=typed.medicaid_id,
                ssn_hash=typed.ssn_hash,
                ssn_last4=typed.ssn_last4,
            )
        problems = identity_mismatches(typed, _domain(row))
        if problems and not correct:
            raise ValidationError(problems)
        if problems:
            return correct_member(user, row, typed)
        return row
