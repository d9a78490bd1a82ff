"""The JSON API for scheduling and EVV vendors: ``/api/`` (django-ninja).

One router per app is mounted here; the OpenAPI schema is served at
``/api/openapi.json`` and its interactive docs at ``/api/docs`` (Swagger UI
from ninja's own static files: no CDN, so the CSP holds). Authentication:
a bearer token first, else the browser session (CSRF-checked). Errors:
``apierrors``.
"""

from __future__ import annotations

from ninja import NinjaAPI

from carecover.portal.accounts.api import PortalSessionAuth, TokenAuth
from carecover.portal.accounts.api import router as accounts_router
from carecover.portal.apierrors import install_error_handlers
from carecover.portal.compliance.api import router as compliance_router
from carecover.portal.incidents.api import router as incidents_router
from carecover.portal.visits.api import router as visits_router

__all__ = ["api"]

api = NinjaAPI(
    title="carecover backup staffing API",
    version="1",
    description=(
        "File Failure to Provide Backup Staffing reports. Authenticate with "
        "`Authorization: Bearer <token>` (create a token at /accounts/tokens/)."
    ),
    auth=[TokenAuth(), PortalSessionAuth()],
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/", accounts_router)
api.add_router("/", incidents_router)
api.add_router("/", compliance_router)
api.add_router("/", visits_router)
