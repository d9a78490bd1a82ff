"""``ids.IdLedger`` over the portal database: BUS numbers never reused."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from carecover.portal.incidents.models import ReportIdCounter


class DjangoIdLedger:
    """Reserves the next number of a year in one transaction (row-locked on PostgreSQL)."""

    def reserve(self, year: int) -> int:
        """Reserve and return the next unused number for ``year``."""
        with transaction.atomic():
            ReportIdCounter.objects.get_or_create(year=year)
            # An UPDATE ... SET n = n + 1 is atomic in both SQLite and PostgreSQL.
            ReportIdCounter.objects.filter(year=year).update(last_number=F("last_number") + 1)
            counter = ReportIdCounter.objects.select_for_update().get(year=year)
            return counter.last_number
