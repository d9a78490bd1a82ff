"""Views of identifying data: the one place every page and endpoint records them.

A member's name, date of birth, Medicaid id or SSN digits, and a nursing-home
resident's name, are identifying data (HIPAA's "individually identifiable").
Whatever shows them calls ``members_shown`` or ``residents_shown`` with what
it is about to show, *before* rendering; ``tests/portal/test_identity_views``
walks every URL of the portal as every persona and fails for a page that
shows a member's or resident's identity without a row written here.

Members are recorded one event per member (``object_type="member"``), so the
log answers "who saw this member". Residents have no row of their own in the
portal (they live in the facility's MDS store), so a page showing resident
lists is one event for the facility, with the residents' store keys. The
audit log itself shows what was filed (names, Medicaid ids in before/after),
so a page of it is one event listing the events shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from carecover.portal.accounts.models import User
from carecover.portal.audit.models import Action
from carecover.portal.audit.recording import record

__all__ = ["events_shown", "members_shown", "residents_shown"]


def members_shown(user: User, member_ids: Iterable[int]) -> None:
    """Record that ``user`` is shown the identity of each member in ``member_ids`` (once each)."""
    for member_id in sorted(set(member_ids)):
        record(user, Action.VIEW_IDENTITY, object_type="member", object_id=str(member_id))


def residents_shown(user: User, ccn: str, lists: dict[str, Sequence[str]]) -> None:
    """Record that ``user`` is shown the residents of facility ``ccn`` in ``lists``.

    ``lists`` maps a list's name (``census_risk``, ``missing_assessments``) to
    the store keys of the residents on it; empty lists show no one and are
    not recorded.
    """
    shown = {name: sorted(set(keys)) for name, keys in lists.items() if keys}
    if not shown:
        return
    record(
        user,
        Action.VIEW_IDENTITY,
        object_type="residents",
        object_id=ccn,
        after={"lists": shown},
    )


def events_shown(user: User, event_ids: Sequence[int]) -> None:
    """Record that ``user`` is shown the audit events ``event_ids`` (a page of the log)."""
    if not event_ids:
        return
    record(
        user,
        Action.VIEW_IDENTITY,
        object_type="audit_log",
        object_id="page",
        after={"events": sorted(event_ids)},
    )
