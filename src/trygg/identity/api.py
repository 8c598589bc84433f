"""API: log-in, log-out, PIN change, log-in history."""

from __future__ import annotations

from typing import Any

from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from trygg.identity.actors import audit_context
from trygg.identity.auth import CustomerSessionAuth, TelephonyPlatformAuth, require_csrf
from trygg.identity.bankid_login import bankid_phone_collect, bankid_phone_start
from trygg.identity.models import LoginChannel, LoginMethod
from trygg.identity.requests import PortalRequest
from trygg.identity.schemas import (
    CsrfOut,
    LoginEventOut,
    LoginIn,
    LoginOut,
    PinChangeIn,
    ProblemOut,
    TokenLoginIn,
    TokenStartIn,
    TokenStartOut,
)
from trygg.identity.selectors import login_history
from trygg.identity.services import pin_change, pin_login
from trygg.identity.sessions import (
    CHALLENGE_SECONDS,
    customer_session_end,
    customer_session_pin_changed,
    customer_session_start,
    pending_challenge,
    pending_challenge_clear,
    pending_challenge_store,
)
from trygg.identity.tokens import TokenChallenge, token_login, token_login_start
from trygg.kernel.audit import audit_record
from trygg.kernel.errors import ValidationFailed
from trygg.kernel.models import AuditAction, AuditChannel

router = Router(tags=["authentication"])
_TELEPHONY = TelephonyPlatformAuth()


@router.get("/auth/csrf", response=CsrfOut, auth=None, summary="Get a CSRF token")
def csrf(request: PortalRequest) -> CsrfOut:
    """Sets the CSRF cookie and returns the token to send in ``X-CSRFToken``."""
    return CsrfOut(csrf_token=get_token(request))


@router.post("/auth/login", response={200: LoginOut}, auth=None, summary="Log in with PIN")
def login(request: PortalRequest, payload: LoginIn) -> LoginOut:
    require_csrf(request)
    result = pin_login(
        ctx=audit_context(request, AuditChannel.API),
        id_number=payload.id_number,
        pin=payload.pin,
        channel=LoginChannel.API,
    )
    customer_session_start(
        request,
        party=result.party,
        method=LoginMethod.PIN,
        level=1,
        must_change_pin=result.must_change_pin,
    )
    get_token(request)
    return LoginOut(
        party_id=result.party.pk,
        customer_number=result.party.customer_number,
        name=result.party.display_name,
        must_change_pin=result.must_change_pin,
    )


@router.post(
    "/phone/auth/pin",
    response={200: LoginOut, 401: ProblemOut},
    auth=_TELEPHONY,
    tags=["telephone bank"],
    summary="Telephone bank: identify the caller with personal identity number and PIN",
)
def phone_login(request: PortalRequest, payload: LoginIn) -> LoginOut:
    """For the telephony platform (an IVR or an agent's desktop), which authenticates with its
    key in ``X-Telephony-Key``. The same PIN and the same failure counter as the web; the
    session this opens may do what a PIN session on the web may do, nothing more."""
    require_csrf(request)
    result = pin_login(
        ctx=audit_context(request, AuditChannel.PHONE),
        id_number=payload.id_number,
        pin=payload.pin,
        channel=LoginChannel.PHONE,
    )
    customer_session_start(
        request,
        party=result.party,
        method=LoginMethod.PIN,
        level=1,
        must_change_pin=result.must_change_pin,
    )
    get_token(request)
    return LoginOut(
        party_id=result.party.pk,
        customer_number=result.party.customer_number,
        name=result.party.display_name,
        must_change_pin=result.must_change_pin,
    )


class PhoneBankIdIn(Schema):
    id_number: str = Field(max_length=20)
    customer_called: bool = True


class PhoneBankIdOut(Schema):
    status: str
    message: str


_PHONE_BANKID = "trygg.phone_bankid"


@router.post(
    "/phone/auth/bankid",
    response={202: PhoneBankIdOut, 401: ProblemOut},
    auth=_TELEPHONY,
    tags=["telephone bank"],
    summary="Telephone bank: the agent starts BankID",
)
def phone_bankid_start(request: PortalRequest, payload: PhoneBankIdIn) -> Status[PhoneBankIdOut]:
    require_csrf(request)
    order_ref = bankid_phone_start(
        id_number=payload.id_number, customer_called=payload.customer_called
    )
    request.session[_PHONE_BANKID] = order_ref
    return Status(202, PhoneBankIdOut(status="pending", message=""))


@router.post(
    "/phone/auth/bankid/collect",
    response={200: PhoneBankIdOut, 201: LoginOut, 401: ProblemOut},
    auth=_TELEPHONY,
    tags=["telephone bank"],
    summary="Telephone bank: poll BankID every two seconds",
)
def phone_bankid_collect(request: PortalRequest) -> Status[Any]:
    require_csrf(request)
    order_ref = request.session.get(_PHONE_BANKID)
    if not order_ref:
        raise ValidationFailed(code="bankid.no_order", field=None, message=_("Start BankID first."))
    progress = bankid_phone_collect(
        ctx=audit_context(request, AuditChannel.PHONE), order_ref=order_ref
    )
    if progress.status != "complete" or progress.result is None:
        if progress.status == "failed":
            request.session.pop(_PHONE_BANKID, None)
        return Status(200, PhoneBankIdOut(status=progress.status, message=progress.message))
    request.session.pop(_PHONE_BANKID, None)  # a completed order is dropped
    party = progress.result.party
    # A phone session may do what a PIN session may do on the web, nothing more.
    customer_session_start(
        request, party=party, method=LoginMethod.BANKID, level=1, must_change_pin=False
    )
    get_token(request)
    return Status(
        201,
        LoginOut(
            party_id=party.pk,
            customer_number=party.customer_number,
            name=party.display_name,
            must_change_pin=False,
        ),
    )


@router.post(
    "/auth/token/start",
    response=TokenStartOut,
    auth=None,
    summary="Log in with security token: get a challenge",
)
def token_start(request: PortalRequest, payload: TokenStartIn) -> TokenStartOut:
    require_csrf(request)
    started = token_login_start(id_number=payload.id_number)
    pending_challenge_store(
        request, id_number=started.id_number, country=started.country, challenge=started.challenge
    )
    return TokenStartOut(challenge=started.challenge, expires_in=CHALLENGE_SECONDS)


@router.post(
    "/auth/token/login",
    response={200: LoginOut},
    auth=None,
    summary="Log in with security token: the response",
)
def token_finish(request: PortalRequest, payload: TokenLoginIn) -> LoginOut:
    require_csrf(request)
    pending = pending_challenge(request)
    if pending is None:
        raise ValidationFailed(
            code="token.challenge_expired",
            field="response",
            message=_("The challenge has expired. Start again."),
        )
    pending_challenge_clear(request)  # one attempt per challenge
    started = TokenChallenge(pending["id_number"], pending["country"], pending["challenge"])
    result = token_login(
        ctx=audit_context(request, AuditChannel.API),
        started=started,
        response=payload.response,
        channel=LoginChannel.API,
    )
    customer_session_start(
        request, party=result.party, method=LoginMethod.TOKEN, level=2, must_change_pin=False
    )
    get_token(request)
    return LoginOut(
        party_id=result.party.pk,
        customer_number=result.party.customer_number,
        name=result.party.display_name,
        must_change_pin=False,
    )


@router.post(
    "/auth/logout",
    response={204: None},
    auth=CustomerSessionAuth(allow_pin_change_pending=True),
    summary="Log out",
)
def logout(request: PortalRequest) -> Status[None]:
    audit_record(
        ctx=audit_context(request, AuditChannel.API),
        action=AuditAction.LOGOUT,
        subject_id=request.auth.pk,
        object_type="session",
    )
    customer_session_end(request)
    return Status(204, None)


@router.post(
    "/auth/pin",
    response={204: None},
    auth=CustomerSessionAuth(allow_pin_change_pending=True),
    summary="Change PIN",
)
def change_pin(request: PortalRequest, payload: PinChangeIn) -> Status[None]:
    pin_change(
        ctx=audit_context(request, AuditChannel.API),
        party=request.auth,
        current_pin=payload.current_pin,
        new_pin=payload.new_pin,
        new_pin_repeat=payload.new_pin_repeat,
    )
    customer_session_pin_changed(request)
    return Status(204, None)


@router.get(
    "/me/logins", response=list[LoginEventOut], auth=CustomerSessionAuth(), summary="Log-in history"
)
def logins(request: PortalRequest) -> list[LoginEventOut]:
    events = login_history(
        ctx=audit_context(request, AuditChannel.API), party=request.auth, limit=50
    )
    return [
        LoginEventOut(
            occurred_at=e.occurred_at, method=e.method, channel=e.channel, success=e.success
        )
        for e in events
    ]
