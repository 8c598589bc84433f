"""RFC 9457 problem details (application/problem+json) for every API error."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from trygg.kernel.errors import DomainError

logger = logging.getLogger("trygg.api")
PROBLEM_TYPE_BASE = "https://trygg.dev/problems/"
TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
}


def problem_response(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.path,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    body.update(extra or {})
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/problem+json"
    )


def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    extra: dict[str, Any] = {}
    attempts_left = getattr(exc, "attempts_left", None)
    if attempts_left is not None:
        extra["attempts_left"] = attempts_left
    return problem_response(
        request,
        status=exc.status,
        code=exc.code,
        detail=str(exc.message),
        errors=[{"field": p.field, "code": p.code, "detail": str(p.message)} for p in exc.problems],
        extra=extra,
    )


_PYDANTIC_RULES = {
    "string_too_long": "text.too_long",
    "string_type": "type.string",
    "int_parsing": "type.integer",
    "int_type": "type.integer",
    "missing": "field.required",
    "json_invalid": "json.invalid",
    "bool_type": "type.boolean",
    "model_attributes_type": "type.object",
    "extra_forbidden": "field.unknown",
}


def _field_of(loc: list[Any]) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or None


def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        kind = str(error.get("type", "invalid"))
        errors.append(
            {
                "field": _field_of(list(error.get("loc", []))),
                "code": _PYDANTIC_RULES.get(kind, f"schema.{kind}"),
                "detail": str(error.get("msg", "")),
            }
        )
    first = errors[0] if errors else {"field": None, "detail": _("Invalid request.")}
    detail = f"{first['field']}: {first['detail']}" if first["field"] else str(first["detail"])
    return problem_response(
        request, status=422, code="request.invalid", detail=detail, errors=errors
    )


def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        request, status=401, code="session.required", detail=_("Log in to continue.")
    )


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(
        request, status=exc.status_code, code=f"http.{exc.status_code}", detail=str(exc.message)
    )


def on_malformed_request(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A body Django cannot read (a multipart body without its boundary, too many fields)."""
    return problem_response(
        request,
        status=400,
        code="request.malformed",
        detail=_("The request's body cannot be read as its Content-Type says."),
    )


def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(request, status=404, code="not_found", detail=_("Not found."))


def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled API error", exc_info=exc)
    return problem_response(
        request,
        status=500,
        code="server.error",
        detail=_("Something went wrong on our side. Nothing was changed."),
    )


# -- the problem responses in the OpenAPI document ------------------------------------------------

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details; ``code`` names the rule, ``errors`` each field.",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": ["string", "null"]},
                    "code": {"type": "string"},
                    "detail": {"type": "string"},
                },
            },
        },
        "attempts_left": {"type": "integer"},
    },
}
PROBLEM_DESCRIPTIONS = {
    400: "The body cannot be read: not JSON, or not what its Content-Type says",
    401: "Not logged in, the session has ended, or the credentials were refused",
    403: "Not allowed: no valid CSRF token, or a stronger authentication is needed",
    404: "Nothing of yours has this id",
    409: "In conflict with an earlier request (a used idempotency key, a finished signing)",
    422: "The request breaks a rule; each field and rule is named",
    500: "A fault on our side; nothing was changed",
    503: "BankID cannot be reached",
}
UNSAFE = {"post", "put", "patch", "delete"}


def problem_statuses(path: str, method: str, operation: dict[str, Any]) -> set[int]:
    """The problem responses an operation can give, from what it takes: a session (401, 403),
    an unsafe method (CSRF 403, 409, 422), parameters or a body (404 for ids, 422; 400 for a
    body that cannot be read, also on any unsafe method), BankID (503)."""
    statuses = {500}
    secured = bool(operation.get("security"))
    unsafe = method in UNSAFE
    takes_input = bool(operation.get("parameters") or operation.get("requestBody"))
    if secured or path.startswith("/api/v1/auth/"):
        statuses.add(401)
    if secured or unsafe:
        statuses.add(403)
    if unsafe:
        statuses |= {409, 422}
    if takes_input:
        statuses |= {404, 422}
    if unsafe or operation.get("requestBody"):
        statuses.add(400)
    if "bankid" in path:
        statuses.add(503)
    return statuses


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Add to every operation of an OpenAPI document the problem responses it can give (each an
    ``application/problem+json`` Problem), and the Problem schema to its components."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in sorted(problem_statuses(path, method, operation)):
                responses.setdefault(
                    status,
                    {
                        "description": PROBLEM_DESCRIPTIONS[status],
                        "content": {"application/problem+json": {"schema": reference}},
                    },
                )
    return schema
