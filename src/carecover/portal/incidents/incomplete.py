"""Drafts saved before they are complete: keep what was typed, finish it later.

The seed: *Save* the report and return later to complete it, then *Submit*.
"Save and finish later" keeps whatever the form holds under a BUS id issued
on that first save, and lists the fields still missing. The full rules
(``carecover.backup.validation``, through ``ReportForm``) decide when it is
complete: saved complete, it becomes a ``Report`` draft under the same id (so
every ``Report`` row holds a whole report), and ``lifecycle.submit`` checks
it again at submit. Nothing incomplete is ever filed.

Only the organisation's own filers see or change its incomplete drafts (the
MCO never does: nothing was filed). The SSN typed for look-up is never kept;
every save and deletion is audited with what was typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.db import transaction

from carecover.backup.ids import ReportIdIssuer
from carecover.errors import InputError
from carecover.portal.accounts.models import User
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record
from carecover.portal.incidents import filing
from carecover.portal.incidents.forms import ReportForm
from carecover.portal.incidents.ledger import DjangoIdLedger
from carecover.portal.incidents.models import IncompleteDraft, Report

__all__ = [
    "KEPT_FIELDS",
    "complete",
    "delete",
    "find",
    "keep",
    "kept_values",
    "still_missing",
]

#: The form's fields an incomplete draft keeps: all but the SSN (never stored)
#: and the member-record correction (a decision taken when saving complete).
KEPT_FIELDS = tuple(
    name for name in ReportForm.base_fields if name not in ("member_ssn", "correct_member_record")
)
#: The longest value kept for a field without its own limit (dates, times, numbers, choices).
_LONGEST_OTHER = 40


def _longest(name: str) -> int:
    limit = getattr(ReportForm.base_fields[name], "max_length", None)
    return int(limit) if limit else _LONGEST_OTHER


def kept_values(data: Mapping[str, object]) -> dict[str, str]:
    """What an incomplete draft keeps of a submitted form: its fields as typed.

    Empty fields are left out. ``InputError`` naming the field when a value is
    longer than the field holds (the page's inputs stop typing there; a
    crafted request is refused, never cut).
    """
    kept: dict[str, str] = {}
    for name in KEPT_FIELDS:
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            continue
        if len(value) > _longest(name):
            raise InputError(f"is too long: at most {_longest(name):,} characters", field=name)
        kept[name] = value
    return kept


def find(user: User, report_id: str) -> IncompleteDraft | None:
    """The incomplete draft ``report_id`` of the user's organisation, if it has one."""
    if not user.files_reports or user.organisation is None:
        return None
    drafts = IncompleteDraft.objects.filter(organisation=user.organisation)
    return drafts.filter(report_id=report_id).first()


def keep(
    user: User, values: dict[str, str], *, today: date, draft: IncompleteDraft | None = None
) -> IncompleteDraft:
    """Save ``values`` as an incomplete draft: a new one (its BUS id issued now) or ``draft``."""
    assert user.organisation is not None
    with transaction.atomic():
        if draft is None:
            draft = IncompleteDraft.objects.create(
                report_id=ReportIdIssuer(DjangoIdLedger()).issue(today),
                organisation=user.organisation,
                values=values,
                created_by=user,
            )
            record(
                user,
                Action.CREATE,
                object_type="report",
                object_id=draft.report_id,
                after={"incomplete": values},
            )
            return draft
        draft = IncompleteDraft.objects.select_for_update().get(pk=draft.pk)
        before = dict(draft.values)
        draft.values = values
        draft.save()
        record(
            user,
            Action.CHANGE,
            object_type="report",
            object_id=draft.report_id,
            before={"incomplete": before},
            after={"incomplete": values},
        )
    return draft


def complete(user: User, draft: IncompleteDraft, form: ReportForm, *, today: date) -> list[Report]:
    """Turn the draft, now complete and valid, into ``Report`` drafts under its BUS id.

    ``form`` is a valid ``ReportForm`` holding the completed report. Refused
    like ``filing.create_draft`` (a duplicate, a member mismatch): then the
    incomplete draft stays as it was.
    """
    assert form.report is not None
    with transaction.atomic():
        draft = IncompleteDraft.objects.select_for_update().get(pk=draft.pk)
        if form.range_end is not None:
            rows = filing.create_range(
                user,
                form.report,
                form.range_end,
                today=today,
                correct_member=form.correct_member,
                first_id=draft.report_id,
            )
        else:
            rows = [
                filing.create_draft(
                    user,
                    form.report,
                    today=today,
                    correct_member=form.correct_member,
                    report_id=draft.report_id,
                )
            ]
        draft.delete()
    return rows


def delete(user: User, draft: IncompleteDraft) -> str:
    """Delete an incomplete draft (audited with what it held); its BUS id, never issued again."""
    with transaction.atomic():
        draft = IncompleteDraft.objects.select_for_update().get(pk=draft.pk)
        report_id = draft.report_id
        before = {"incomplete": dict(draft.values)}
        draft.delete()
        record(user, Action.REVOKE, object_type="report", object_id=report_id, before=before)
    return report_id


def still_missing(draft: IncompleteDraft, *, today: date) -> ReportForm:
    """The draft's values in the report form, judged: its errors are what is still missing."""
    form = ReportForm(draft.values, organisation=draft.organisation, today=today)
    form.is_valid()
    return form
