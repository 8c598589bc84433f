"""Middleware: security headers, session limits and the logged-in customer."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from trygg.identity.sessions import (
    STARTED_KEY,
    customer_session,
    session_expired,
    session_touch,
    staff_session_start,
)
from trygg.parties.selectors import party_by_pk

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Strict headers on every response: CSP without inline script, no framing, no caching of
    pages that may hold personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class SessionTimeoutMiddleware:
    """Ends sessions idle for 5 minutes or older than the absolute limit (customers and staff)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reason = session_expired(request.session)
        request.session_expired = reason  # type: ignore[attr-defined]
        if reason is not None:
            request.session.flush()
        else:
            session_touch(request.session)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and STARTED_KEY not in request.session:
            staff_session_start(request.session)
        return response


class CustomerMiddleware:
    """``request.customer``: the logged-in customer's Party, or None."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = customer_session(request)
        party = party_by_pk(session.party_id) if session else None
        if session is not None and party is None:
            request.session.flush()  # the customer no longer exists
            session = None
        request.customer_session = session  # type: ignore[attr-defined]
        request.customer = party  # type: ignore[attr-defined]
        return self.get_response(request)
