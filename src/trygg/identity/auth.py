"""API authentication: the customer's session cookie, with CSRF on unsafe methods; an outside
platform's key (the telephony platform's on the telephone bank's endpoints, the recording
platform's and the door card system's on the contact records' intake)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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


@dataclass(frozen=True)
class Platform:
    """A kind of outside platform that calls the API with a key of its own: the setting that
    holds each platform's name and key (``name:key,...``), the header it sends the key in, and
    the problem's code and message when a call comes without a valid key."""

    setting: str
    header: str
    code: str
    refusal: Promise


TELEPHONY = Platform(
    setting="TRYGG_TELEPHONY_KEYS",
    header="X-Telephony-Key",
    code="telephony.unauthenticated",
    refusal=gettext_lazy(
        "The telephone bank answers only the telephony platform: send its key in "
        "the X-Telephony-Key header."
    ),
)
TELEPHONY_KEY_HEADER = TELEPHONY.header


def platform_named(platform: Platform, presented: str | None) -> str | None:
    """The name of the configured platform of this kind whose key is ``presented``, or None.
    Every configured key is compared, each in constant time, so the answer takes the same
    time whichever key (if any) matches."""
    given = (presented or "").encode()
    found: str | None = None
    for name, key in getattr(settings, platform.setting).items():
        if hmac.compare_digest(key.encode(), given) and given:
            found = name
    return found


def telephony_platform(presented: str | None) -> str | None:
    return platform_named(TELEPHONY, presented)


class PlatformKeyAuth(APIKeyHeader):
    """Endpoints that answer only one kind of outside platform, which sends its configured key
    in its header; any other caller gets 401 with the platform's code. The platform's name is
    put on the request (``request.platform``) for the audit log of what it does."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.param_name = platform.header
        super().__init__()

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        name = platform_named(self.platform, key)
        if name is None:
            raise AuthenticationFailed(str(self.platform.refusal), code=self.platform.code)
        request.platform = name  # type: ignore[attr-defined]
        return name


class TelephonyPlatformAuth(PlatformKeyAuth):
    """The telephone bank's endpoints answer only the telephony platform (an IVR or the
    agents' desktop), which sends its configured key in ``X-Telephony-Key``; an anonymous
    caller gets 401 ``telephony.unauthenticated``. The platform's name goes into the audit
    log of what it does."""

    def __init__(self) -> None:
        super().__init__(TELEPHONY)
