"""API authentication: the customer's session cookie, with CSRF on unsafe methods; the
telephony platform's key on the telephone bank's endpoints."""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, APIKeyHeader
from ninja.utils import check_csrf

from trygg.identity.sca import Function
from trygg.identity.sessions import account_information_check, session_is_service_only
from trygg.kernel.errors import AuthenticationFailed, PermissionDenied
from trygg.parties.models import Party


class CsrfFailed(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(
            message=_(
                "The request lacks a valid CSRF token: send the token from "
                "GET /api/v1/auth/csrf in the X-CSRFToken header."
            ),
            code="csrf.failed",
        )
        self.field = "X-CSRFToken"
        self.problems[0] = type(self.problems[0])("X-CSRFToken", self.code, self.message)


def require_csrf(request: HttpRequest) -> None:
    if check_csrf(request) is not None:
        raise CsrfFailed()


class CustomerSessionAuth(APIKeyCookie):
    """A logged-in customer's session. With ``allow_pin_change_pending`` the customer who must
    still replace a letter PIN is let through (only the PIN change endpoint uses that). With
    ``function`` (account information) a PIN session also needs a two-factor authentication
    within 180 days; otherwise 403 ``sca.step_up_required`` (log in with the token or BankID)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(
        self, *, allow_pin_change_pending: bool = False, function: Function | None = None
    ) -> None:
        super().__init__(csrf=False)
        self.allow_pin_change_pending = allow_pin_change_pending
        self.function = function  # account information: RTS Art. 10's 180 days apply

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        session = getattr(request, "customer_session", None)
        if session is None:
            if getattr(request, "session_expired", None):
                raise AuthenticationFailed(
                    _("Your session has ended after a period without activity. Log in again."),
                    code="session.expired",
                )
            raise AuthenticationFailed(_("Log in to continue."), code="session.required")
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            require_csrf(request)
        if session_is_service_only(session):
            raise PermissionDenied(
                _(
                    "A password log-in opens only the protection service's pages. Log in with "
                    "your PIN, security token or BankID to continue."
                ),
                code="session.service_only",
            )
        if session.must_change_pin and not self.allow_pin_change_pending:
            raise PermissionDenied(
                _("Choose a new PIN before you continue."), code="pin.change_required"
            )
        party: Party | None = request.customer  # type: ignore[attr-defined]
        if party is None:
            raise AuthenticationFailed(_("Log in to continue."), code="session.required")
        if self.function is not None:
            account_information_check(session, self.function)
        return party


TELEPHONY_KEY_HEADER = "X-Telephony-Key"


def telephony_platform(presented: str | None) -> str | None:
    """The name of the configured telephony platform whose key is ``presented``, or None.
    Every configured key is compared, each in constant time, so the answer takes the same
    time whichever key (if any) matches."""
    given = (presented or "").encode()
    found: str | None = None
    for name, key in settings.TRYGG_TELEPHONY_KEYS.items():
        if hmac.compare_digest(key.encode(), given) and given:
            found = name
    return found


class TelephonyPlatformAuth(APIKeyHeader):
    """The telephone bank's endpoints answer only the telephony platform (an IVR or the
    agents' desktop), which sends its configured key in ``X-Telephony-Key``; an anonymous
    caller gets 401 ``telephony.unauthenticated``. The platform's name goes into the audit
    log of what it does."""

    param_name = TELEPHONY_KEY_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        platform = telephony_platform(key)
        if platform is None:
            raise AuthenticationFailed(
                _(
                    "The telephone bank answers only the telephony platform: send its key in "
                    "the X-Telephony-Key header."
                ),
                code="telephony.unauthenticated",
            )
        request.telephony_platform = platform  # type: ignore[attr-defined]
        return platform
