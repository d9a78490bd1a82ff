"""Login throttling: per user name and address, and per address across user names.

django-axes counts failed logins; its own limit (``AXES_FAILURE_LIMIT``,
``CARECOVER_LOGIN_ATTEMPTS``, default 5) applies to one user name from one
address. A password sprayed over many user names from one address never
trips that, so ``AddressCappedHandler`` also locks an address out after
``AXES_ADDRESS_FAILURE_LIMIT`` failures (``CARECOVER_LOGIN_ATTEMPTS_PER_ADDRESS``,
default 20: an office behind one address survives a few typos) whatever user
names they tried. Both locks last ``AXES_COOLOFF_TIME``.

It needs ``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]``:
axes then keeps both counts, in that order.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

__all__ = ["AddressCappedHandler"]


class AddressCappedHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """Axes' database handler with a second, higher limit for one address."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The failures axes compares with its limit: the user name's from this address, or
        the whole limit once the address alone is over ``AXES_ADDRESS_FAILURE_LIMIT``.

        Axes compares this one number with ``AXES_FAILURE_LIMIT`` both when a
        login fails and before checking a password, so the address's cap
        works everywhere axes locks out.
        """
        per_name, per_address = (
            int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)
            for attempts in self.get_user_attempts(request, credentials)
        )
        if per_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            limit: int = get_failure_limit(request, credentials)
            return max(per_name, limit)
        return per_name

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """On success, forget this user name's failures only: the address's count stays,
        or a sprayer holding one valid password could clear it by signing in."""
        per_name = self.filter_user_attempts(request, credentials)[0]
        count: int = per_name.delete()[0]
        return count
