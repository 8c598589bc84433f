"""The NinjaAPI instance: routers of every domain, problem+json handlers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema

from trygg.api import problems
from trygg.api.docs import LocalSwagger
from trygg.banking.api import router as banking_router
from trygg.billing.api import router as billing_router
from trygg.claims.api import router as claims_router
from trygg.contact.api import router as contact_router
from trygg.identity.api import router as identity_router
from trygg.insurance.api import router as insurance_router
from trygg.kernel.errors import DomainError
from trygg.overview.api import router as overview_router
from trygg.overview.contact_api import router as parties_router
from trygg.protection.api import router as protection_router


class TryggApi(NinjaAPI):
    """The API whose OpenAPI document also lists every problem response of each operation."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        problems.document_problems(schema)
        return schema


api = TryggApi(
    title="trygg API",
    version="1",
    description="The customer API of trygg. Browser clients authenticate with the session "
    "cookie set by POST /auth/login and send the CSRF token from GET /auth/csrf in the "
    "X-CSRFToken header on every unsafe request. Errors are RFC 9457 problem details.",
    urls_namespace="api",
    docs=LocalSwagger(),
    docs_url="/docs",
)
api.add_router("", identity_router)
api.add_router("", overview_router)
api.add_router("", parties_router)
api.add_router("", banking_router)
api.add_router("", insurance_router)
api.add_router("", claims_router)
api.add_router("", billing_router)
api.add_router("", protection_router)
api.add_router("", contact_router)
api.add_exception_handler(DomainError, problems.on_domain_error)  # type: ignore[arg-type]
api.add_exception_handler(NinjaValidationError, problems.on_validation_error)  # type: ignore[arg-type]
api.add_exception_handler(AuthenticationError, problems.on_authentication_error)  # type: ignore[arg-type]
api.add_exception_handler(HttpError, problems.on_http_error)  # type: ignore[arg-type]
api.add_exception_handler(MultiPartParserError, problems.on_malformed_request)  # type: ignore[arg-type]
api.add_exception_handler(SuspiciousOperation, problems.on_malformed_request)  # type: ignore[arg-type]
api.add_exception_handler(Http404, problems.on_not_found)  # type: ignore[arg-type]
api.add_exception_handler(Exception, problems.on_unexpected)  # type: ignore[arg-type]
