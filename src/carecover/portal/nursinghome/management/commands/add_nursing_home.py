"""``python -m carecover.portal add_nursing_home CCN ...``: a facility, its operator and chain.

Creates (or updates) the facility with its PBJ submission id, the operator
organisation its staff belong to and, with ``--chain-code``, the chain whose
corporate users see it. Run it again to change a name or move a facility to
another chain; the facility's data is kept.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from carecover.portal.accounts.models import Organisation, OrganisationKind
from carecover.portal.nursinghome.models import Facility


def _organisation(code: str, name: str | None, kind: OrganisationKind) -> Organisation:
    org, created = Organisation.objects.get_or_create(
        code=code, defaults={"name": name or code, "kind": kind}
    )
    if org.kind != kind:
        raise CommandError(
            f"the organisation {code} is a {org.get_kind_display()}, not a {kind.label}"
        )
    if name and not created and org.name != name:
        org.name = name
        org.save(update_fields=["name"])
    return org


class Command(BaseCommand):
    """Create or update a nursing facility with its operator and chain."""

    help = "Add a nursing facility (CCN) with its operator organisation and optional chain."

    def add_arguments(self, parser: CommandParser) -> None:
        """CCN, --name, --state, --pbj-facility-id, --operator-code/-name, --chain-code/-name."""
        parser.add_argument("ccn", help="CMS Certification Number (6 characters).")
        parser.add_argument("--name", required=True, help="The facility's name.")
        parser.add_argument("--state", required=True, help="Two-letter state code.")
        parser.add_argument(
            "--pbj-facility-id", required=True, help="The facilityId of its PBJ submissions."
        )
        parser.add_argument("--operator-code", help="Operator organisation code (default NH<CCN>).")
        parser.add_argument("--operator-name", help="Operator name (default: the facility's).")
        parser.add_argument("--chain-code", help="Chain organisation code, if any.")
        parser.add_argument("--chain-name", help="Chain name (when the chain is new).")

    def handle(self, *args: Any, **options: Any) -> None:
        """Create or update, or fail with one line."""
        ccn = options["ccn"].strip().upper()
        with transaction.atomic():
            operator = _organisation(
                options["operator_code"] or f"NH{ccn}",
                options["operator_name"] or options["name"],
                OrganisationKind.FACILITY,
            )
            chain = (
                _organisation(options["chain_code"], options["chain_name"], OrganisationKind.CHAIN)
                if options["chain_code"]
                else None
            )
            facility = Facility.objects.filter(ccn=ccn).first() or Facility(ccn=ccn)
            facility.name = options["name"]
            facility.state = options["state"].strip().upper()
            facility.pbj_facility_id = options["pbj_facility_id"].strip()
            facility.organisation = operator
            facility.chain = chain
            try:
                facility.full_clean()
            except ValidationError as exc:
                raise CommandError(
                    "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
                ) from None
            facility.save()
        where = f", chain {chain.name}" if chain else ""
        self.stdout.write(f"Facility {facility} operated by {operator.name}{where}.")
