"""The upload page of a facility, each upload's validation report, and its downloads.

Every view looks the facility up inside what the user may see
(``access.facility_for``: another operator's facility is a 404) and the
upload inside that facility. Every nursing-home role may upload; chain users
for any facility of their chain.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from carecover.errors import StoreBusyError
from carecover.portal.nursinghome.access import facility_for, nursing_home_user, portal_user
from carecover.portal.nursinghome.busy import RETRY_AFTER_S, UPLOAD_BUSY
from carecover.portal.nursinghome.models import Facility, Upload, UploadKind
from carecover.portal.nursinghome.upload_forms import UploadForm
from carecover.portal.nursinghome.uploads import generated_xml_path, receive_upload

#: Past uploads listed on the page, newest first.
HISTORY = 50


def _upload(facility: Facility, upload_id: int) -> Upload:
    """The facility's upload ``upload_id``, else 404."""
    return get_object_or_404(
        Upload.objects.select_related("facility", "uploaded_by"), facility=facility, pk=upload_id
    )


@nursing_home_user
@require_http_methods(["GET", "POST"])
def uploads(request: HttpRequest, ccn: str) -> HttpResponse:
    """The upload form and the facility's past uploads; a good POST goes to the new report."""
    facility = facility_for(portal_user(request), ccn)
    today = timezone.localdate()
    form = UploadForm(request.POST or None, request.FILES or None, today=today)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            upload = receive_upload(
                facility,
                portal_user(request),
                UploadKind(form.cleaned_data["kind"]),
                form.cleaned_data["file"],
                form.options(),
                today=today,
            )
        except StoreBusyError:
            form.add_error(None, UPLOAD_BUSY)
            status = 503
        else:
            if upload.report.get("status") == "accepted":
                messages.success(request, f"{upload.original_name} was accepted.")
            else:
                messages.error(request, f"{upload.original_name} was rejected: nothing was stored.")
            return redirect("nursinghome:upload", ccn=facility.ccn, upload_id=upload.pk)
    history = facility.uploads.select_related("uploaded_by")[:HISTORY]
    response = render(
        request,
        "nursinghome/uploads.html",
        {"facility": facility, "form": form, "history": history},
        status=status,
    )
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_S)
    return response


@nursing_home_user
@require_GET
def upload_detail(request: HttpRequest, ccn: str, upload_id: int) -> HttpResponse:
    """One upload's validation report."""
    facility = facility_for(portal_user(request), ccn)
    upload = _upload(facility, upload_id)
    return render(
        request,
        "nursinghome/upload_detail.html",
        {
            "facility": facility,
            "upload": upload,
            "report": upload.report,
            "has_xml": generated_xml_path(upload).is_file(),
        },
    )


@nursing_home_user
@require_GET
def upload_report(request: HttpRequest, ccn: str, upload_id: int, fmt: str) -> HttpResponse:
    """The validation report as a JSON or text file."""
    facility = facility_for(portal_user(request), ccn)
    upload = _upload(facility, upload_id)
    name = f"{facility.ccn}-upload-{upload.pk}-report.{fmt}"
    if fmt == "json":
        body = json.dumps(upload.report, indent=2)
        response = HttpResponse(body, content_type="application/json")
    elif fmt == "txt":
        body = render_to_string(
            "nursinghome/upload_report.txt", {"facility": facility, "upload": upload}
        )
        response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    else:
        raise Http404("no such format")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@nursing_home_user
@require_GET
def upload_xml(request: HttpRequest, ccn: str, upload_id: int) -> HttpResponse:
    """The PBJ XML generated from an accepted time-clock upload, to submit to CMS."""
    facility = facility_for(portal_user(request), ccn)
    upload = _upload(facility, upload_id)
    path = generated_xml_path(upload)
    if not path.is_file():
        raise Http404("this upload has no generated PBJ file")
    # One facility's quarter: a few MB at most, so it is read whole.
    response = HttpResponse(path.read_bytes(), content_type="application/xml")
    quarters = "-".join(upload.quarters) or "upload"
    name = f"{facility.ccn}-pbj-{quarters}-{upload.pk}.xml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
