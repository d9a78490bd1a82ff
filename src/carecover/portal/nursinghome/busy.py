"""What a facility's pages answer while its store is held by someone else.

An upload being loaded, or a program outside the portal (an analyst's
``carecover pbj load --db`` on the store file), holds the store: the page
says so and asks to retry (HTTP 503 with ``Retry-After``); an upload is
refused without blaming the user's file. Nothing about the holder (paths,
process ids) is shown.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carecover.portal.nursinghome.models import Facility

__all__ = ["PAGE_BUSY", "RETRY_AFTER_S", "UPLOAD_BUSY", "store_busy"]

RETRY_AFTER_S = 30
PAGE_BUSY = (
    "The facility's figures are being updated (an upload or another program is using its"
    " store right now). Nothing is wrong with your data: try again in a minute."
)
UPLOAD_BUSY = (
    "The facility's store is busy (another upload or program is using it), so your file was"
    " not loaded; nothing is wrong with it. Upload it again in a few minutes."
)


def store_busy(request: HttpRequest, facility: Facility, message: str = PAGE_BUSY) -> HttpResponse:
    """The busy page: 503, ``Retry-After``, the message and a link to try again."""
    response = render(
        request,
        "nursinghome/store_busy.html",
        {"facility": facility, "message": message},
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_S)
    return response
