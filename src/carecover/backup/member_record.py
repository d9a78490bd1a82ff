"""What a filer typed about a member against the member record their organisation keeps.

A report carries the member's identity as it was filed; the organisation's
member record is the reference the next report is checked against. A
difference (name, birth date, last four SSN digits) is never resolved
silently: it is listed here so the filer either corrects what they typed or
corrects the record, as its own audited action.
"""

from __future__ import annotations

from carecover.backup.report import Member
from carecover.errors import FieldProblem

__all__ = ["corrected", "identity_mismatches"]


def _same_text(typed: str, recorded: str) -> bool:
    # Capitals and surrounding spaces are how a name is typed, not who it names.
    return typed.strip().casefold() == recorded.strip().casefold()


def identity_mismatches(typed: Member, record: Member) -> list[FieldProblem]:
    """Each field where ``typed`` differs from ``record`` (same Medicaid id), in order.

    The last four SSN digits count only when both sides have them: an SSN is
    optional on a report.
    """
    found: list[FieldProblem] = []

    def differs(field: str, label: str, shown: str) -> None:
        found.append(
            FieldProblem(
                field,
                f"the member record for {record.medicaid_id} has a different {label} "
                f"({shown}): correct what you typed, or correct the member record",
            )
        )

    if not _same_text(typed.first_name, record.first_name):
        differs("member.first_name", "first name", record.first_name)
    if not _same_text(typed.last_name, record.last_name):
        differs("member.last_name", "last name", record.last_name)
    if typed.date_of_birth != record.date_of_birth:
        differs("member.date_of_birth", "birth date", record.date_of_birth.isoformat())
    if typed.ssn_last4 and record.ssn_last4 and typed.ssn_last4 != record.ssn_last4:
        differs("member.ssn_last4", "SSN ending", f"ending {record.ssn_last4}")
    return found


def corrected(record: Member, typed: Member) -> Member:
    """The record after a correction: names and birth date as typed, SSN only if typed."""
    if typed.ssn_last4:
        return typed
    return Member(
        first_name=typed.first_name,
        last_name=typed.last_name,
        date_of_birth=typed.date_of_birth,
        medicaid_id=record.medicaid_id,
        ssn_hash=record.ssn_hash,
        ssn_last4=record.ssn_last4,
    )
