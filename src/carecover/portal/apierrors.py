"""How the API answers errors: JSON ``{"detail": ..., "errors": [{"field", "message"}]}``.

``carecover.errors`` exceptions are translated here, at the API's edge:

======================  ======  =============================================
exception               status  body
======================  ======  =============================================
``ValidationError``     422     every problem, on its field, in the domain's words
``InputError``          422     the one problem, on its field
``RuleError``           409     the rule's message (e.g. a submitted report)
``NotFoundError``       404     the message
``ConfigError``         500     a fixed message (settings stay private)
``PermissionDenied``    403     a fixed message (Django's, from shared services)
schema errors (ninja)   422     field paths and messages; never the value sent
======================  ======  =============================================

No traceback and no submitted value is ever echoed: a value may be a
member's name or SSN.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import ValidationError as SchemaError

from carecover.errors import (
    ConfigError,
    FieldProblem,
    InputError,
    NotFoundError,
    RuleError,
    ValidationError,
)

__all__ = ["ERRORS", "ErrorOut", "FieldErrorOut", "install_error_handlers"]


class FieldErrorOut(Schema):
    """One problem on one field (``member.date_of_birth``, ``incident_date``...)."""

    field: str | None
    message: str


class ErrorOut(Schema):
    """Every error body of the API."""

    detail: str
    errors: list[FieldErrorOut] = Field(default_factory=list)


#: The error responses every endpoint documents in the OpenAPI schema.
ERRORS: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}

#: Location prefixes ninja puts before a field name: not part of the field.
_SOURCES = frozenset({"body", "payload", "query", "filters", "path"})


def _body(detail: str, problems: list[FieldProblem] | None = None) -> dict[str, object]:
    errors = [{"field": p.field, "message": p.message} for p in problems or []]
    return {"detail": detail, "errors": errors}


def _schema_field(location: object) -> str:
    parts = [str(p) for p in location] if isinstance(location, list | tuple) else [str(location)]
    while parts and parts[0] in _SOURCES:
        parts.pop(0)
    return ".".join(parts) or "body"


def install_error_handlers(api: NinjaAPI) -> None:
    """Answer ``carecover.errors`` and schema errors as ``ErrorOut`` JSON."""
    # Handlers take ``exc: Any``: ninja types them against the class *or* instance.

    def problems(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(
            request, _body("the report has problems", exc.problems), status=422
        )

    def bad_input(request: HttpRequest, exc: Any) -> HttpResponse:
        problem = FieldProblem(exc.field or "body", exc.reason)
        return api.create_response(request, _body(exc.reason, [problem]), status=422)

    def refused(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, _body(exc.message), status=409)

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, _body(exc.message), status=404)

    def misconfigured(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, _body("the portal is misconfigured"), status=500)

    def schema(request: HttpRequest, exc: Any) -> HttpResponse:
        found = [
            FieldProblem(_schema_field(e.get("loc", ())), str(e.get("msg", "invalid")))
            for e in exc.errors
        ]
        return api.create_response(request, _body("the request is not valid", found), status=422)

    def forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, _body("you may not do this"), status=403)

    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(ValidationError, problems)
    api.add_exception_handler(InputError, bad_input)
    api.add_exception_handler(RuleError, refused)
    api.add_exception_handler(NotFoundError, not_found)
    api.add_exception_handler(ConfigError, misconfigured)
    api.add_exception_handler(SchemaError, schema)
