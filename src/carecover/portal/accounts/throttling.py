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

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        """Locked when the user name from this address, or the address alone, failed too often."""
        if not getattr(settings, "AXES_LOCK_OUT_AT_FAILURE", True):
            return False
        per_name, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return bool(
            per_name >= get_failure_limit(request, credentials)
            or per_address >= settings.AXES_ADDRESS_FAILURE_LIMIT
        )

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """On success, forget this user name's failures only: the address's count stays,
        or a sprayer holding one valid password could clear it by signing in."""
        per_name = self.filter_user_attempts(request, credentials)[0]
        count: int = per_name.delete()[0]
        return count
