"""Sign-in and account forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from carecover.portal.accounts.models import Organisation, OrganisationKind, Role, User
from carecover.portal.accounts.service_accounts import SERVICE_PREFIX

#: Which roles each kind of organisation has (issue 3, "Who can do what").
ROLES_BY_KIND = {
    OrganisationKind.PROVIDER: frozenset({Role.SUBMITTER, Role.MANAGER}),
    OrganisationKind.EOR: frozenset({Role.EOR}),
    OrganisationKind.MCO: frozenset({Role.MCO_ANALYST, Role.MCO_ADMIN}),
    # Issue 6 §5: nursing-home staff and chain (corporate) users.
    OrganisationKind.FACILITY: frozenset({Role.NH_ADMINISTRATOR, Role.DON, Role.MDS_COORDINATOR}),
    OrganisationKind.CHAIN: frozenset({Role.CORPORATE}),
}


class LoginForm(AuthenticationForm):
    """User name and password; django-axes throttles failures."""


class AccountForm(forms.Form):
    """A new account, created by an MCO administrator."""

    username = forms.CharField(max_length=150, label="User name")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all())
    role = forms.ChoiceField(choices=Role.choices)
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )

    def clean_username(self) -> str:
        """A user name not taken yet."""
        username: str = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("this user name is taken")
        if username.lower().startswith(SERVICE_PREFIX):
            # The prefix names service accounts in the audit log: people never have it.
            raise forms.ValidationError(
                f"user names starting {SERVICE_PREFIX} are service accounts"
            )
        return username

    def clean(self) -> dict[str, Any]:
        """The role must exist in the organisation's kind; the password must be strong."""
        data = super().clean() or {}
        org: Organisation | None = data.get("organisation")
        role = data.get("role")
        if org is not None and role and role not in ROLES_BY_KIND[OrganisationKind(org.kind)]:
            self.add_error("role", f"a {org.get_kind_display()} has no {Role(role).label} role")
        password = data.get("password")
        if password:
            candidate = User(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data
