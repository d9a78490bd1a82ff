"""How refused requests are logged: one line each, without a traceback.

Django logs a 403 from ``PermissionDenied`` (and a 400 from a suspicious
request) on ``django.request`` with the exception attached, so every refused
URL a scanner tries becomes a page of traceback in the log. A refusal is not
a fault: ``OneLineClientErrors`` drops the exception from 4xx records and
keeps the one line (method-free, path only: paths hold ids, never PHI).
Server errors (5xx) keep their traceback.
"""

from __future__ import annotations

import logging

__all__ = ["OneLineClientErrors"]


class OneLineClientErrors(logging.Filter):
    """Strips the traceback from records of responses under 500."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record; drop ``exc_info`` when the response was a client error."""
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
