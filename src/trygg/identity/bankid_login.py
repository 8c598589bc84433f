"""Log-in with BankID: start an order, show the animated QR code or open the app on this
device, collect every two seconds, and start the session when BankID says complete."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trygg.identity.attempts import login_record
from trygg.identity.bankid.client import BankIdClient, BankIdError, CollectResult
from trygg.identity.bankid.messages import Language, user_message
from trygg.identity.bankid.qr import qr_data, qr_seconds, qr_svg
from trygg.identity.models import BankIdOrder, BankIdOrderState, LoginChannel, LoginMethod
from trygg.identity.services import LoginResult, parse_id_number
from trygg.kernel import clock, idnumbers
from trygg.kernel.audit import AuditContext
from trygg.kernel.errors import DomainError
from trygg.parties.selectors import person_by_id_number


class BankIdUnavailable(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(code="bankid.unavailable", message=message, status=503)


def bankid_client() -> BankIdClient:
    if not settings.TRYGG_BANKID_URL:
        raise BankIdUnavailable(_("BankID is not available here."))
    cert = (
        (settings.TRYGG_BANKID_CERT, settings.TRYGG_BANKID_KEY)
        if settings.TRYGG_BANKID_CERT and settings.TRYGG_BANKID_KEY
        else None
    )
    return BankIdClient(
        settings.TRYGG_BANKID_URL, cert=cert, ca_cert=settings.TRYGG_BANKID_CA, timeout=10.0
    )


@dataclass(frozen=True)
class PendingBankId:
    order_ref: str
    qr_start_token: str
    qr_start_secret: str  # stays on the server, in the session
    auto_start_token: str
    started_at: float  # time.monotonic() is per process: wall time is used instead

    def as_session(self) -> dict[str, object]:
        return self.__dict__.copy()


def bankid_language() -> Language:
    return "sv" if (get_language() or "sv").startswith(("sv", "nb", "no")) else "en"


def bankid_error_message(error: BankIdError) -> str:
    return user_message(
        None,
        None,
        error.error_code,
        language=bankid_language(),
        started_with="qr",
    )


def _order_record(order_ref: str, channel: str) -> None:
    """Note an order trygg started: only such an order can log anybody in, and only once."""
    BankIdOrder.objects.create(order_ref=order_ref, channel=channel, created_at=clock.now())


def _order_take(order_ref: str) -> bool:
    """Take a completed order for its one log-in: a conditional update of the pending row. No
    row changed (used already, by this or another session, or never started here) means
    refused."""
    return (
        BankIdOrder.objects.filter(order_ref=order_ref, state=BankIdOrderState.PENDING).update(
            state=BankIdOrderState.USED, used_at=clock.now()
        )
        == 1
    )


def bankid_login_start(*, end_user_ip: str, channel: str = LoginChannel.WEB) -> PendingBankId:
    with bankid_client() as client:
        try:
            started = client.auth(end_user_ip)
        except BankIdError as error:
            raise BankIdUnavailable(bankid_error_message(error)) from error
    assert started.qr_start_token and started.qr_start_secret and started.auto_start_token
    _order_record(started.order_ref, channel)
    return PendingBankId(
        started.order_ref,
        started.qr_start_token,
        started.qr_start_secret,
        started.auto_start_token,
        time.time(),
    )


def bankid_qr_svg(pending: PendingBankId) -> str:
    """The QR frame for this second (the secret never leaves the server)."""
    seconds = qr_seconds(pending.started_at, time.time())
    return qr_svg(qr_data(pending.qr_start_token, pending.qr_start_secret, seconds))


@dataclass(frozen=True)
class BankIdProgress:
    status: str  # pending, failed, complete
    message: str
    result: LoginResult | None = None


def bankid_login_collect(
    *, ctx: AuditContext, pending: PendingBankId, same_device: bool, channel: str = LoginChannel.WEB
) -> BankIdProgress:
    flow: Literal["same_device", "qr"] = "same_device" if same_device else "qr"
    with bankid_client() as client:
        try:
            collected: CollectResult = client.collect(pending.order_ref)
        except BankIdError as error:
            return BankIdProgress("failed", bankid_error_message(error))
    if collected.status == "complete" and collected.completion is not None:
        return _complete(ctx, pending, collected, channel)
    message = user_message(
        collected.status,
        collected.hint_code,
        None,
        language=bankid_language(),
        started_with=flow,
    )
    return BankIdProgress(collected.status, message)


def _complete(
    ctx: AuditContext, pending: PendingBankId, collected: CollectResult, channel: str
) -> BankIdProgress:
    assert collected.completion is not None
    if not _order_take(pending.order_ref):
        login_record(
            None,
            ctx=ctx,
            method=LoginMethod.BANKID,
            channel=channel,
            success=False,
            detail={"reason": "bankid.order_used"},
        )
        return BankIdProgress(
            "failed", _("This BankID identification has already been used. Start again.")
        )
    number = collected.completion.user.personal_number
    parsed = idnumbers.parse(number, country="SE", person_only=True)
    party = person_by_id_number(country=parsed.country, id_number=parsed.value)
    if party is None:
        login_record(
            None,
            ctx=ctx,
            method=LoginMethod.BANKID,
            channel=channel,
            success=False,
            detail={"reason": "bankid.not_a_customer"},
        )
        return BankIdProgress(
            "failed",
            _(
                "You identified yourself with BankID, but you are not a customer of ours with "
                "this personal identity number. Call us and we will help you."
            ),
        )
    login_record(
        party,
        ctx=ctx,
        method=LoginMethod.BANKID,
        channel=channel,
        success=True,
        detail={"order_ref": pending.order_ref},
    )
    return BankIdProgress("complete", "", LoginResult(party=party, must_change_pin=False))


def bankid_cancel(pending: PendingBankId) -> None:
    # An order already finished or expired has nothing left to cancel.
    with bankid_client() as client, contextlib.suppress(BankIdError):
        client.cancel(pending.order_ref)


def bankid_phone_start(*, id_number: object, customer_called: bool) -> str:
    """The agent starts BankID for the caller (``phone/auth``): the caller's app asks them to
    confirm they are in a call with us. Returns the order reference to collect."""
    parsed = parse_id_number(id_number)
    if parsed.country != "SE":
        raise BankIdUnavailable(_("BankID is for Swedish personal identity numbers."))
    with bankid_client() as client:
        try:
            started = client.phone_auth(
                parsed.value,
                "user" if customer_called else "RP",
                user_visible_data=_("Identification for a call with customer service"),
            )
        except BankIdError as error:
            raise BankIdUnavailable(bankid_error_message(error)) from error
    _order_record(started.order_ref, LoginChannel.PHONE)
    return started.order_ref


def bankid_phone_collect(*, ctx: AuditContext, order_ref: str) -> BankIdProgress:
    with bankid_client() as client:
        try:
            collected = client.collect(order_ref)
        except BankIdError as error:
            return BankIdProgress("failed", bankid_error_message(error))
    if collected.status == "complete" and collected.completion is not None:
        pending = PendingBankId(order_ref, "", "", "", time.time())
        return _complete(ctx, pending, collected, LoginChannel.PHONE)
    message = user_message(
        collected.status,
        collected.hint_code,
        None,
        language=bankid_language(),
        started_with="phone",
    )
    return BankIdProgress(collected.status, message)
