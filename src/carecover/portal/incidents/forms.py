"""The report form: it parses what was typed, builds a ``BackupReport`` and lets
``carecover.backup.validation.problems`` judge it, putting each problem next to
its field. No rule is repeated here; Django only checks that a date is a date.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from django import forms

from carecover.backup.catalogue import load_reasons
from carecover.backup.identity import member_from_ssn, secret_key_from_env
from carecover.backup.ids import MAX_NUMBER, ReportIdIssuer, format_report_id
from carecover.backup.report import (
    BackupReport,
    BackupStatus,
    Contact,
    DeclinedBy,
    ReporterKind,
)
from carecover.backup.split import reports_for_range
from carecover.backup.validation import (
    EOR_REASON_PREFIX,
    FIELD_HELP,
    MAX_LENGTHS,
    OTHER_REASON,
    branch_required,
    problems,
)
from carecover.errors import CarecoverError, InputError
from carecover.portal.accounts.models import Organisation, OrganisationKind
from carecover.portal.incidents.members import mismatches
from carecover.portal.incidents.widgets import MEMBER_SEARCH, SEARCH_ATTRS, date_picker, time_picker


class _DryRunLedger:
    """An ``IdLedger`` that remembers nothing: for checking a range without using ids."""

    def __init__(self) -> None:
        self._last = 0

    def reserve(self, year: int) -> int:
        """The next throwaway number."""
        self._last += 1
        return self._last


#: Domain field names (``member.first_name``) as form field names (``member_first_name``).
_SPECIAL = {"member.ssn_last4": "member_ssn"}


def form_field(domain_field: str) -> str:
    """The form field that shows problems of a ``BackupReport`` field."""
    return _SPECIAL.get(domain_field, domain_field.replace(".", "_"))


def field_label(domain_field: str) -> str:
    """The label the form shows for a ``BackupReport`` field (its name if none)."""
    name = form_field(domain_field)
    field = ReportForm.base_fields.get(name)
    if field is not None and field.label:
        return str(field.label)
    return name.replace("_", " ").capitalize()


def _help(name: str) -> str:
    return FIELD_HELP.get(name, "")


def _blank_first(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", "---------"), *pairs]


#: Help in the form's words where the shared help quotes codes a file holds.
_FORM_HELP = {
    "backup_status": (
        "Not available: no backup staff could be found. Offered but declined: backup staff "
        "was offered and the member or their legally responsible person said no."
    ),
    "declined_by": (
        "Who declined the backup staff offered: the member or their legally responsible person."
    ),
}

#: The longest explanation kept (``validation.MAX_LENGTHS``).
MAX_EXPLANATION = MAX_LENGTHS["reason_other"]


def _branch_fields(status: BackupStatus) -> tuple[str, ...]:
    """The fields of the branch ``status`` does NOT use: cleared on save, never judged."""
    if status is BackupStatus.NOT_AVAILABLE:
        return ("declined_by", "declined_reason")
    return ("reason", "reason_other")


def reasons_for(organisation: Organisation) -> list[tuple[str, str]]:
    """The reasons an organisation may give: Employer-of-Record reasons to EORs only."""
    eor = organisation.kind == OrganisationKind.EOR
    return [
        (r.code, r.label) for r in load_reasons() if eor or not r.code.startswith(EOR_REASON_PREFIX)
    ]


class ReportForm(forms.Form):
    """One Failure to Provide Backup Staffing report, as a provider types it."""

    site = forms.ChoiceField(required=False, help_text=_help("site_id"))
    contact_name = forms.CharField(max_length=200, help_text=_help("contact.name"))
    contact_phone = forms.CharField(max_length=40, help_text=_help("contact.phone"))
    contact_email = forms.CharField(max_length=254, help_text=_help("contact.email"))
    member_first_name = forms.CharField(
        max_length=100,
        help_text=_help("member.first_name"),
        widget=MEMBER_SEARCH,
    )
    member_last_name = forms.CharField(
        max_length=100,
        help_text=_help("member.last_name"),
        widget=MEMBER_SEARCH,
    )
    member_date_of_birth = forms.DateField(
        help_text=_help("member.date_of_birth"), widget=date_picker(**SEARCH_ATTRS)
    )
    member_medicaid_id = forms.CharField(
        max_length=20, label="Member Medicaid ID", help_text=_help("member.medicaid_id")
    )
    member_ssn = forms.CharField(
        required=False,
        label="Member SSN (for look-up only)",
        max_length=11,
        # Never sent back to the browser: the full SSN is not kept anywhere.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_help("member_ssn"),
    )
    correct_member_record = forms.BooleanField(
        required=False,
        label="Correct the member record",
        help_text=(
            "Tick only when the member record is wrong: it is changed to what you typed, "
            "and the correction is audited. Reports already filed keep the member as filed."
        ),
    )
    incident_date = forms.DateField(help_text=_help("incident_date"), widget=date_picker())
    learned_on = forms.DateField(
        required=False,
        label="Date you learned of it",
        help_text=_help("learned_on"),
        widget=date_picker(),
    )
    last_date = forms.DateField(
        required=False,
        widget=date_picker(),
        label="Last date (several days)",
        help_text=(
            "Optional, new reports only: the last date of an interruption over several days. "
            "One draft is saved for each date from the incident date to this date."
        ),
    )
    service_code = forms.CharField(
        max_length=20,
        help_text=_help("service_code"),
        # Typeahead: htmx fills the datalist from carecover.backup.search_services.
        widget=forms.TextInput(
            attrs={
                "list": "service-codes",
                "autocomplete": "off",
                "hx-get": "/reports/services/",
                # The incident date goes too: only codes in effect on it are offered.
                "hx-include": "[name='incident_date']",
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#service-codes",
            }
        ),
    )
    scheduled_start = forms.TimeField(help_text=_help("scheduled_start"), widget=time_picker())
    scheduled_end = forms.TimeField(help_text=_help("scheduled_end"), widget=time_picker())
    hours_without_staff = forms.FloatField(help_text=_help("hours_without_staff"))
    backup_status = forms.ChoiceField(
        choices=[
            (BackupStatus.NOT_AVAILABLE.value, "Backup staff not available"),
            (BackupStatus.OFFERED_DECLINED.value, "Backup staff offered but declined"),
        ],
        widget=forms.RadioSelect,
        help_text=_FORM_HELP["backup_status"],
    )
    reason = forms.ChoiceField(
        required=False,
        help_text=(
            "Why BACKUP staff was not available (not why the regular staff was absent), "
            "from the reason list."
        ),
    )
    reason_other = forms.CharField(
        required=False,
        max_length=MAX_EXPLANATION,
        label="Other: explanation",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_help("reason_other"),
    )
    declined_by = forms.ChoiceField(
        required=False,
        choices=_blank_first(
            [
                (DeclinedBy.MEMBER.value, "The member"),
                (DeclinedBy.LEGALLY_RESPONSIBLE_PERSON.value, "Legally responsible person"),
            ]
        ),
        help_text=_FORM_HELP["declined_by"],
    )
    declined_reason = forms.CharField(
        required=False,
        max_length=MAX_EXPLANATION,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_help("declined_reason"),
    )

    harm = forms.BooleanField(
        required=False,
        label="The member was harmed or put at risk",
        help_text=(
            "Tick when the missed service harmed the member or put them at risk: the MCO "
            "sees the report as escalated (10A NCAC 27G .0602/.0604; UNCONFIRMED for "
            "missed shifts)."
        ),
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        today: date,
        base: BackupReport | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.today = today
        self.base = base
        self.report: BackupReport | None = None
        self.range_end: date | None = None
        #: The filer asked to correct the member record to what they typed.
        self.correct_member = False
        if base is not None:
            del self.fields["last_date"]  # a saved report covers its one date
        sites = [(s.code, s.name) for s in organisation.sites.all()]
        self.fields["site"].choices = _blank_first(sites)  # type: ignore[attr-defined]
        self.fields["reason"].choices = _blank_first(  # type: ignore[attr-defined]
            reasons_for(organisation)
        )
        # The form's script shows "Other: explanation" as required for these reasons.
        self.fields["reason"].widget.attrs["data-explain"] = " ".join(
            r.code for r in load_reasons() if r.requires_explanation or r.code == OTHER_REASON
        )
        if not self.is_bound and base is None:
            # Provider details and contact are prefilled from the user's organisation.
            self.initial.update(
                contact_name=organisation.contact_name,
                contact_phone=organisation.contact_phone,
                contact_email=organisation.contact_email,
            )

    @property
    def explanation_needed(self) -> bool:
        """Whether the reason shown needs "Other: explanation" (its asterisk, without script)."""
        code = self["reason"].value() or ""
        return code in self.fields["reason"].widget.attrs["data-explain"].split()

    def _clean_fields(self) -> None:
        """Clean every field, then forget the branch the report type does not use.

        A filer who typed "offered but declined" and switched to "not available"
        must not be stopped by the hidden fields: they are cleared, their errors
        (an over-long hidden text, an unknown hidden choice) dropped.
        """
        super()._clean_fields()  # type: ignore[misc]
        try:
            status = BackupStatus(self.cleaned_data.get("backup_status", ""))
        except ValueError:
            return
        for name in _branch_fields(status):
            self.cleaned_data[name] = ""
            self.errors.pop(name, None)

    def clean(self) -> dict[str, Any]:
        """Build the ``BackupReport`` and put each of the domain's problems on its field."""
        data = super().clean() or {}
        if self.errors:
            # A field is missing or could not be parsed: the report cannot be
            # judged yet, but the fields its type makes required are listed too.
            self._branch_missing(data)
            return data
        try:
            report = self._report(data)
        except InputError as exc:
            self.add_error(form_field(exc.field) if exc.field else None, exc.reason)
            return data
        found = list(problems(report, today=self.today))
        if not data.get("correct_member_record"):
            # A difference from the organisation's own record is shown, never
            # written over silently (``incidents.members``).
            found.extend(mismatches(self.organisation, report.member))
        for problem in found:
            name = form_field(problem.field)
            if name in self.fields:
                self.add_error(name, problem.message)
            else:
                self.add_error(None, str(problem))
        last = data.get("last_date")
        if last is not None and not self.errors:
            try:
                # A dry run with throwaway numbers: the range rules live in
                # carecover.backup.split; real ids are issued only on save.
                reports_for_range(
                    report,
                    report.incident_date,
                    last,
                    issuer=ReportIdIssuer(_DryRunLedger()),
                    today=self.today,
                )
            except CarecoverError as exc:
                self.add_error("last_date", getattr(exc, "reason", str(exc)))
            self.range_end = last
        if not self.errors:
            self.report = report
            self.correct_member = bool(data.get("correct_member_record"))
        return data

    def _branch_missing(self, data: dict[str, Any]) -> None:
        try:
            status = BackupStatus(data.get("backup_status", ""))
        except ValueError:
            return
        for field in branch_required(status, data.get("reason") or None):
            if not str(data.get(field) or "").strip() and field not in self.errors:
                self.add_error(field, "is required for this report type")

    def _report(self, data: dict[str, Any]) -> BackupReport:
        ssn = data.get("member_ssn") or None
        member = member_from_ssn(
            first_name=data["member_first_name"].strip(),
            last_name=data["member_last_name"].strip(),
            date_of_birth=data["member_date_of_birth"],
            medicaid_id=data["member_medicaid_id"].strip().upper(),
            ssn=ssn,
            key=secret_key_from_env() if ssn else None,
        )
        base = self.base
        if ssn is None and base is not None and base.member.medicaid_id == member.medicaid_id:
            # Keep the SSN look-up of the member already on the report.
            member = replace(member, ssn_hash=base.member.ssn_hash, ssn_last4=base.member.ssn_last4)
        declined_by = data.get("declined_by") or None
        fields: dict[str, Any] = {
            "contact": Contact(
                data["contact_name"].strip(),
                data["contact_phone"].strip(),
                data["contact_email"].strip(),
            ),
            "member": member,
            "incident_date": data["incident_date"],
            "learned_on": data.get("learned_on") or None,
            "service_code": data["service_code"].strip().upper().replace(" ", ""),
            "scheduled_start": data["scheduled_start"],
            "scheduled_end": data["scheduled_end"],
            "hours_without_staff": data["hours_without_staff"],
            "backup_status": BackupStatus(data["backup_status"]),
            "reason": data.get("reason") or None,
            "reason_other": (data.get("reason_other") or "").strip() or None,
            "declined_by": DeclinedBy(declined_by) if declined_by else None,
            "declined_reason": (data.get("declined_reason") or "").strip() or None,
            "site_id": data.get("site") or None,
            "harm": bool(data.get("harm")),
        }
        if base is not None:
            return replace(base, **fields)
        org = self.organisation
        return BackupReport(
            # A placeholder until the draft is saved: ids are issued only then,
            # so an invalid form does not use one up.
            report_id=format_report_id(self.today.year, MAX_NUMBER),
            reporter_kind=(
                ReporterKind.EOR if org.kind == OrganisationKind.EOR else ReporterKind.PROVIDER
            ),
            provider_id=org.code,
            provider_name=org.name,
            **fields,
        )


def initial_from(report: BackupReport) -> dict[str, Any]:
    """Form values showing an existing report (the SSN is never shown)."""
    return {
        "site": report.site_id or "",
        "contact_name": report.contact.name,
        "contact_phone": report.contact.phone,
        "contact_email": report.contact.email,
        "member_first_name": report.member.first_name,
        "member_last_name": report.member.last_name,
        "member_date_of_birth": report.member.date_of_birth,
        "member_medicaid_id": report.member.medicaid_id,
        "incident_date": report.incident_date,
        "learned_on": report.learned_on,
        "service_code": report.service_code,
        "scheduled_start": report.scheduled_start,
        "scheduled_end": report.scheduled_end,
        "hours_without_staff": report.hours_without_staff,
        "backup_status": report.backup_status.value,
        "reason": report.reason or "",
        "reason_other": report.reason_other or "",
        "declined_by": report.declined_by.value if report.declined_by else "",
        "declined_reason": report.declined_reason or "",
        "harm": report.harm,
    }


class ReviewForm(forms.Form):
    """The MCO's decision on a submitted report."""

    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("return", "Return")])
    comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_help("mco_comment")
    )
