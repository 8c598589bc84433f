"""The customer's session: who is logged in, how, since when; idle and absolute limits.

One place decides whether a session is still alive (``session_expired``), used by the web
middleware for every request, whether it comes from the portal, the API or the back office.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import logout as auth_logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.middleware.csrf import rotate_token
from django.utils.translation import gettext as _

from trygg.identity import sca
from trygg.identity.models import LoginEvent, LoginMethod
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import PermissionDenied
from trygg.kernel.models import AuditAction, AuditChannel
from trygg.parties.models import Party

CUSTOMER_KEY = "trygg.customer"
STARTED_KEY = "trygg.started"
SEEN_KEY = "trygg.seen"
# Last-seen is written at most this often (seconds): the idle limit can only come earlier.
SEEN_RESOLUTION = 15


@dataclass(frozen=True)
class CustomerSession:
    party_id: int
    method: str
    level: int  # 1 = one factor (PIN), 2 = two factors (token, BankID)
    authenticated_at: dt.datetime
    must_change_pin: bool
    # The customer's latest two-factor authentication (token or BankID, any channel) as of the
    # log-in; this session's own when it is a two-factor one.
    two_factor_at: dt.datetime | None = None


def customer_session_start(
    request: HttpRequest, *, party: Party, method: str, level: int, must_change_pin: bool
) -> None:
    """Begin a logged-in session under a new session key (no fixation). A staff session in
    the same browser ends: one browser holds one identity."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        audit_record(
            ctx=AuditContext(
                actor_kind="staff",
                actor_id=str(user.pk),
                actor_label=user.get_username(),
                channel=AuditChannel.BACK_OFFICE,
                ip=request.META.get("REMOTE_ADDR") or None,
            ),
            action=AuditAction.LOGOUT,
            object_type="staff_session",
            detail={"reason": "customer_login"},
        )
        auth_logout(request)  # flushes the session and the staff member's log-in
    request.session.cycle_key()
    rotate_token(request)
    now = clock.now()
    two_factor_at = now if level == 2 else last_two_factor_at(party)
    request.session[CUSTOMER_KEY] = {
        "party_id": party.pk,
        "method": method,
        "level": level,
        "at": now.isoformat(),
        "must_change_pin": must_change_pin,
        "two_factor_at": two_factor_at.isoformat() if two_factor_at else None,
    }
    request.session[STARTED_KEY] = now.timestamp()
    request.session[SEEN_KEY] = now.timestamp()


def customer_session_pin_changed(request: HttpRequest) -> None:
    data = dict(request.session.get(CUSTOMER_KEY) or {})
    if data:
        data["must_change_pin"] = False
        request.session[CUSTOMER_KEY] = data


def customer_session_end(request: HttpRequest) -> None:
    """Log out: the server-side session is deleted, the cookie no longer opens anything."""
    request.session.flush()


def customer_session(request: HttpRequest) -> CustomerSession | None:
    data: dict[str, Any] | None = request.session.get(CUSTOMER_KEY)
    if not data:
        return None
    return CustomerSession(
        party_id=int(data["party_id"]),
        method=str(data["method"]),
        level=int(data["level"]),
        authenticated_at=dt.datetime.fromisoformat(data["at"]),
        must_change_pin=bool(data.get("must_change_pin")),
        two_factor_at=(
            dt.datetime.fromisoformat(data["two_factor_at"]) if data.get("two_factor_at") else None
        ),
    )


TWO_FACTOR_METHODS = (LoginMethod.TOKEN, LoginMethod.BANKID)
# A password log-in (the protection service's Mine sider, seed 004) opens only the protection
# service's pages: no accounts, no payments, no insurance.
SERVICE_ONLY_METHODS = frozenset({LoginMethod.PASSWORD})


def session_is_service_only(session: CustomerSession | None) -> bool:
    return session is not None and session.method in SERVICE_ONLY_METHODS


def last_two_factor_at(party: Party) -> dt.datetime | None:
    """When ``party`` last logged in with the security token or BankID, on any channel."""
    return (
        LoginEvent.objects.filter(party=party, success=True, method__in=TWO_FACTOR_METHODS)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )


class StepUpRequired(PermissionDenied):
    def __init__(self, function: sca.Function) -> None:
        super().__init__(
            _(
                "It is more than 180 days since you last identified yourself with your security "
                "token or BankID. Do so now to continue."
            ),
            code="sca.step_up_required",
        )
        self.function = function


def account_information_check(session: CustomerSession, function: sca.Function) -> None:
    """RTS Art. 10: account information after a PIN log-in only within 180 days of the last
    two-factor authentication. Raises ``StepUpRequired`` otherwise (the caller offers the token
    or BankID and then continues)."""
    decision = sca.decide(
        function,
        session_level=session.level,
        last_two_factor_at=session.two_factor_at,
        now=clock.now(),
    )
    if decision.outcome is sca.Outcome.STEP_UP:
        raise StepUpRequired(function)


def account_information_shown(session: CustomerSession | None) -> bool:
    """Whether balances and account details may be shown to this session (the same RTS Art. 10
    check as the account pages). Pages open to a PIN session that name accounts (transfer,
    payment, trade and registration forms) show the accounts by name only when it is False."""
    if session is None:
        return False
    try:
        account_information_check(session, sca.Function.OVERVIEW)
    except StepUpRequired:
        return False
    return True


def session_expired(session: SessionBase) -> str | None:
    """``"idle"`` or ``"absolute"`` when the session has outlived a limit, else None.
    A session that holds no log-in never expires here."""
    started = session.get(STARTED_KEY)
    if started is None:
        return None
    now = clock.now().timestamp()
    if now - float(session.get(SEEN_KEY, started)) > settings.TRYGG_SESSION_IDLE_SECONDS:
        return "idle"
    if now - float(started) > settings.TRYGG_SESSION_ABSOLUTE_SECONDS:
        return "absolute"
    return None


def session_touch(session: SessionBase) -> None:
    """Note activity; written only when the stored time is older than the resolution."""
    if STARTED_KEY not in session:
        return
    now = clock.now().timestamp()
    if now - float(session.get(SEEN_KEY, 0)) >= SEEN_RESOLUTION:
        session[SEEN_KEY] = now


def staff_session_replace_customer(request: HttpRequest) -> None:
    """A member of staff logs in: any customer session in this browser ends first (and all
    else the session held), so the staff session starts clean."""
    data: dict[str, Any] | None = request.session.get(CUSTOMER_KEY)
    if data:
        audit_record(
            ctx=AuditContext(
                actor_kind="customer",
                actor_id=str(data["party_id"]),
                actor_label=f"party:{data['party_id']}",
                channel=AuditChannel.WEB,
                ip=request.META.get("REMOTE_ADDR") or None,
            ),
            action=AuditAction.LOGOUT,
            subject_id=int(data["party_id"]),
            object_type="session",
            detail={"reason": "staff_login"},
        )
    request.session.flush()


def staff_session_start(session: SessionBase) -> None:
    """Staff sessions obey the same limits; called when a staff member logs in."""
    now = clock.now().timestamp()
    session[STARTED_KEY] = now
    session[SEEN_KEY] = now


PENDING_CHALLENGE_KEY = "trygg.token_challenge"
CHALLENGE_SECONDS = 180


def pending_challenge_store(
    request: HttpRequest, *, id_number: str, country: str, challenge: str
) -> None:
    """Keep a token log-in's challenge for this browser only, for three minutes."""
    request.session[PENDING_CHALLENGE_KEY] = {
        "id_number": id_number,
        "country": country,
        "challenge": challenge,
        "until": clock.now().timestamp() + CHALLENGE_SECONDS,
    }


def pending_challenge(request: HttpRequest) -> dict[str, Any] | None:
    """The pending challenge, or None if there is none or it has expired."""
    data: dict[str, Any] | None = request.session.get(PENDING_CHALLENGE_KEY)
    if not data or float(data["until"]) < clock.now().timestamp():
        return None
    return data


def pending_challenge_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_CHALLENGE_KEY, None)
