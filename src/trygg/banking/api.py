"""API: accounts, transfers between own accounts, payees and payments, signing with the token.

Unsafe calls take an ``Idempotency-Key`` header: a retried request with the same key returns
what the first one booked and never pays twice.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from trygg.banking.selectors import (
    account_postings,
    accounts_of,
    holdings_of,
    payees_of,
    registrations_of,
    trade_orders_of,
)
from trygg.banking.services import (
    NewPaymentInput,
    PayeeInput,
    RegistrationInput,
    payee_change,
    payee_register,
    payee_register_start,
    payee_remove,
    payment_new_execute,
    payment_new_start,
    payment_to_payee,
    registration_create,
    registration_start,
    transfer_own,
)
from trygg.banking.trading import TradeInput, trade_cancel, trade_place, trade_start
from trygg.identity.actors import audit_context, client_ip
from trygg.identity.auth import CustomerSessionAuth
from trygg.identity.bankid_login import PendingBankId, bankid_qr_svg
from trygg.identity.models import SigningOrder
from trygg.identity.requests import PortalRequest
from trygg.identity.sca import Function
from trygg.identity.schemas import SigningOut, signing_out
from trygg.identity.sessions import account_information_check, account_information_shown
from trygg.identity.signing import (
    signing_collect_bankid,
    signing_complete_with_token,
    signing_start_bankid,
)
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.ids import Id
from trygg.kernel.models import AuditChannel

if TYPE_CHECKING:
    from trygg.banking.models import Payment, Registration, TradeOrder

router = Router(tags=["bank"], auth=CustomerSessionAuth())


class AccountOut(Schema):
    id: int
    number: str
    name: str
    kind: str
    currency: str
    balance: Decimal
    holder: str


class PostingOut(Schema):
    booked_at: dt.datetime
    text: str
    amount: Decimal


class TransferIn(Schema):
    from_account: Id
    to_account: Id
    amount: str = Field(max_length=20, description="Kronor, e.g. 1500 or 99.50")
    message: str = Field("", max_length=35)


class BookingOut(Schema):
    transaction_id: int
    booked_at: dt.datetime


class PayeeIn(Schema):
    name: str = Field(max_length=60)
    kind: str = Field(description="bankgiro, plusgiro or account")
    number: str = Field(max_length=30)


class PayeeOut(Schema):
    id: int
    name: str
    kind: str
    number: str


class PaymentIn(Schema):
    from_account: Id
    kind: str = Field(description="bankgiro, plusgiro or account")
    number: str = Field(max_length=30)
    amount: str = Field(max_length=20)
    message: str = Field("", max_length=35, description="a message, or an OCR number, not both")
    ocr: str = Field("", max_length=30, description="an OCR number (Luhn check digit)")
    execution_date: str = Field(
        "", max_length=10, description="YYYY-MM-DD: today (empty) or a bank day within 13 months"
    )
    receiver_name: str = Field("", max_length=60)


class PayeePaymentIn(Schema):
    from_account: Id
    payee_id: Id
    amount: str = Field(max_length=20)
    message: str = Field("", max_length=35, description="a message, or an OCR number, not both")
    ocr: str = Field("", max_length=30, description="an OCR number (Luhn check digit)")
    execution_date: str = Field(
        "", max_length=10, description="YYYY-MM-DD: today (empty) or a bank day within 13 months"
    )


class PayeeChangeIn(Schema):
    name: str = Field(max_length=60)
    reference: str = Field("", max_length=35)


class SignIn(Schema):
    response: str = Field(max_length=8)


class PaymentOut(Schema):
    id: int
    reference: str
    amount: Decimal
    to: str
    state: str = Field(description="scheduled, booked, failed or cancelled")
    execution_date: dt.date
    transaction_id: int | None = Field(description="the booking; none while scheduled")


def _payment_out(payment: Payment) -> PaymentOut:
    return PaymentOut(
        id=payment.pk,
        reference=payment.reference,
        amount=payment.amount,
        to=f"{payment.destination_kind}:{payment.destination_number}",
        state=payment.state,
        execution_date=payment.execution_date,
        transaction_id=payment.transaction_id,
    )


def _new_payment(payload: PaymentIn) -> NewPaymentInput:
    return NewPaymentInput(
        payload.from_account,
        payload.kind,
        payload.number,
        payload.amount,
        payload.message,
        ocr=payload.ocr,
        execution_date=payload.execution_date or None,
        receiver_name=payload.receiver_name,
    )


IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,80}")


def _key(request: HttpRequest) -> str | None:
    """The ``Idempotency-Key`` header: 1 to 80 visible ASCII characters (a UUID fits), or none."""
    key = request.headers.get("Idempotency-Key")
    if not key:
        return None
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise ValidationFailed(
            code="idempotency.key_format",
            field="Idempotency-Key",
            message=_("An idempotency key is 1 to 80 visible ASCII characters, e.g. a UUID."),
        )
    return key


@router.get(
    "/accounts",
    response=list[AccountOut],
    auth=CustomerSessionAuth(function=Function.OVERVIEW),
    summary="Your accounts (and your firm's)",
)
def accounts(request: PortalRequest) -> list[AccountOut]:
    rows = accounts_of(ctx=audit_context(request, AuditChannel.API), person=request.auth)
    return [
        AccountOut(
            id=a.pk,
            number=a.number,
            name=a.name,
            kind=a.kind,
            currency=a.currency,
            balance=a.balance,
            holder=a.party.display_name if a.party else "",
        )
        for a in rows
    ]


@router.get(
    "/accounts/{account_id}/transactions",
    response=list[PostingOut],
    auth=CustomerSessionAuth(function=Function.OVERVIEW),
    summary="An account's latest transactions",
)
def transactions(request: PortalRequest, account_id: Id) -> list[PostingOut]:
    _account, postings = account_postings(
        ctx=audit_context(request, AuditChannel.API), person=request.auth, account_id=account_id
    )
    return [
        PostingOut(
            booked_at=p.transaction.booked_at,
            text=p.text or p.transaction.description,
            amount=p.amount,
        )
        for p in postings
    ]


@router.post(
    "/transfers", response={201: BookingOut}, summary="Transfer between own accounts (no signature)"
)
def transfer(request: PortalRequest, payload: TransferIn) -> Status[BookingOut]:
    entry = transfer_own(
        ctx=audit_context(request, AuditChannel.API),
        person=request.auth,
        from_account_id=payload.from_account,
        to_account_id=payload.to_account,
        amount=payload.amount,
        message=payload.message,
        idempotency_key=_key(request),
    )
    return Status(201, BookingOut(transaction_id=entry.pk, booked_at=entry.booked_at))


@router.get("/payees", response=list[PayeeOut], summary="Your pre-registered payees")
def payees(request: PortalRequest) -> list[PayeeOut]:
    return [
        PayeeOut(id=p.pk, name=p.name, kind=p.kind, number=p.number)
        for p in payees_of(ctx=audit_context(request, AuditChannel.API), person=request.auth)
    ]


@router.post(
    "/payees/signing",
    response={201: SigningOut},
    summary="Start registering a payee: the order to sign",
)
def payee_signing(request: PortalRequest, payload: PayeeIn) -> Status[SigningOut]:
    order = payee_register_start(
        ctx=audit_context(request, AuditChannel.API),
        person=request.auth,
        data=PayeeInput(payload.name, payload.kind, payload.number),
    )
    return Status(201, signing_out(order))


@router.post(
    "/payees/{signing_id}",
    response={201: PayeeOut},
    summary="Register the payee the signature covers",
)
def payee_create(request: PortalRequest, signing_id: str, payload: PayeeIn) -> Status[PayeeOut]:
    payee = payee_register(
        ctx=audit_context(request, AuditChannel.API),
        person=request.auth,
        signing_id=signing_id,
        data=PayeeInput(payload.name, payload.kind, payload.number),
    )
    return Status(201, PayeeOut(id=payee.pk, name=payee.name, kind=payee.kind, number=payee.number))


@router.put(
    "/payees/registered/{payee_id}",
    response=PayeeOut,
    summary="Change a payee's name and your reference (a new number is a new payee, signed)",
)
def payee_update(request: PortalRequest, payee_id: int, payload: PayeeChangeIn) -> PayeeOut:
    payee = payee_change(
        ctx=audit_context(request, AuditChannel.API),
        person=request.auth,
        payee_id=payee_id,
        name=payload.name,
        reference=payload.reference,
    )
    return PayeeOut(id=payee.pk, name=payee.name, kind=payee.kind, number=payee.number)


@router.delete("/payees/registered/{payee_id}", response={204: None}, summary="Remove a payee")
def payee_delete(request: PortalRequest, payee_id: int) -> Status[None]:
    payee_remove(
        ctx=audit_context(request, AuditChannel.API), person=request.auth, payee_id=payee_id
    )
    return Status(204, None)


@router.post(
    "/payments/payee",
    response={201: PaymentOut},
    summary="Pay a pre-registered payee (no signature)",
)
def pay_payee(request: PortalRequest, payload: PayeePaymentIn) -> Status[PaymentOut]:
    payment = payment_to_payee(
        ctx=audit_context(request, AuditChannel.API),
        person=request.auth,
        from_account_id=payload.from_account,
        payee_id=payload.payee_id,
        amount=payload.amount,
        message=payload.message,
        ocr=payload.ocr,
        execution_date=payload.execution_date or None,
        idempotency_key=_key(request),
    )
    return Status(201, _payment_out(payment))


@router.post(
    "/payments/signing",
    response={201: SigningOut},
    summary="Start a payment to a new account: the order to sign",
)
def payment_signing(request: PortalRequest, payload: PaymentIn) -> Status[SigningOut]:
    order = payment_new_start(
        ctx=audit_context(request, AuditChannel.API),
        person=request.auth,
        data=_new_payment(payload),
    )
    return Status(201, signing_out(order))


@router.post(
    "/payments/{signing_id}",
    response={201: PaymentOut},
    summary="Carry out the payment the signature covers",
)
def payment_execute(
    request: PortalRequest, signing_id: str, payload: PaymentIn
) -> Status[PaymentOut]:
    payment = payment_new_execute(
        ctx=audit_context(request, AuditChannel.API),
        person=request.auth,
        signing_id=signing_id,
        data=_new_payment(payload),
        idempotency_key=_key(request),
    )
    return Status(201, _payment_out(payment))


@router.post(
    "/signing/{signing_id}/token",
    response=SigningOut,
    summary="Sign an order with the security token's response",
)
def sign_with_token(request: PortalRequest, signing_id: str, payload: SignIn) -> SigningOut:
    order = SigningOrder.objects.filter(public_id=signing_id, party=request.auth).first()
    if order is None:
        raise NotFound(code="signing.unknown")
    signed = signing_complete_with_token(
        ctx=audit_context(request, AuditChannel.API), order=order, response=payload.response
    )
    return signing_out(signed)


class BankIdSigningOut(Schema):
    signing_id: str
    auto_start_token: str = Field(description="Start the BankID app on this device with it")
    qr_url: str = Field(description="GET this every second for the animated QR code (SVG)")


class SigningStateOut(Schema):
    state: str = Field(description="pending, failed or signed")
    message: str


_BANKID_KEY = "trygg.api_signing_bankid"


@router.post(
    "/signing/{signing_id}/bankid",
    response={201: BankIdSigningOut},
    summary="Sign an order with BankID: start",
)
def sign_with_bankid(request: PortalRequest, signing_id: str) -> Status[BankIdSigningOut]:
    order = SigningOrder.objects.filter(public_id=signing_id, party=request.auth).first()
    if order is None:
        raise NotFound(code="signing.unknown")
    pending = signing_start_bankid(
        ctx=audit_context(request, AuditChannel.API),
        order=order,
        end_user_ip=client_ip(request) or "127.0.0.1",
    )
    request.session[_BANKID_KEY] = {"signing_id": signing_id, **pending.as_session()}
    return Status(
        201,
        BankIdSigningOut(
            signing_id=signing_id,
            auto_start_token=pending.auto_start_token,
            qr_url=f"/api/v1/signing/{signing_id}/bankid/qr",
        ),
    )


def _bankid_pending(request: PortalRequest, signing_id: str) -> PendingBankId:
    data = dict(request.session.get(_BANKID_KEY) or {})
    if data.pop("signing_id", None) != signing_id:
        raise NotFound(code="signing.no_bankid_order")
    return PendingBankId(**data)


@router.get("/signing/{signing_id}/bankid/qr", summary="The QR code of this second (SVG)")
def sign_with_bankid_qr(request: PortalRequest, signing_id: str) -> HttpResponse:
    return HttpResponse(
        bankid_qr_svg(_bankid_pending(request, signing_id)), content_type="image/svg+xml"
    )


@router.post(
    "/signing/{signing_id}/bankid/collect",
    response=SigningStateOut,
    summary="Sign an order with BankID: poll every two seconds",
)
def sign_with_bankid_collect(request: PortalRequest, signing_id: str) -> SigningStateOut:
    order = SigningOrder.objects.filter(public_id=signing_id, party=request.auth).first()
    if order is None:
        raise NotFound(code="signing.unknown")
    state, message = signing_collect_bankid(
        ctx=audit_context(request, AuditChannel.API),
        order=order,
        pending=_bankid_pending(request, signing_id),
    )
    if state != "pending":
        request.session.pop(_BANKID_KEY, None)
    return SigningStateOut(state=state, message=message)


class HoldingOut(Schema):
    kind: str
    name: str
    identifier: str
    units: Decimal
    price: Decimal
    value: Decimal
    valued_on: dt.date


@router.get(
    "/holdings",
    response=list[HoldingOut],
    summary="Funds (kind=fund) or life & pension (kind=pension)",
)
def holdings(request: PortalRequest, kind: str = "fund") -> list[HoldingOut]:
    if kind not in ("fund", "pension"):
        raise ValidationFailed(
            code="holdings.kind", field="kind", message=_("Choose fund or pension.")
        )
    assert request.customer_session is not None  # the auth class let the request through
    account_information_check(
        request.customer_session, Function.FUNDS if kind == "fund" else Function.LIFE_PENSION
    )
    rows = holdings_of(ctx=audit_context(request, AuditChannel.API), person=request.auth, kind=kind)
    return [
        HoldingOut(
            kind=h.kind,
            name=h.name,
            identifier=h.identifier,
            units=h.units,
            price=h.price,
            value=h.value,
            valued_on=h.valued_on,
        )
        for h in rows
    ]


class RegistrationIn(Schema):
    kind: str = Field(description="autogiro or einvoice")
    biller_name: str = Field(max_length=60)
    biller_bankgiro: str = Field(max_length=12)
    payer_reference: str = Field(max_length=35)
    account_id: Id | None = Field(None, description="The account to debit (autogiro)")


class RegistrationOut(Schema):
    id: int
    kind: str
    biller_name: str
    biller_bankgiro: str
    payer_reference: str
    account: str = Field(
        description="The account debited: its number, or only its name when more than 180 "
        "days have passed since your last log-in with the security token or BankID"
    )
    state: str


def _registration_out(request: PortalRequest, r: Registration) -> RegistrationOut:
    account = ""
    if r.account is not None:
        shown = account_information_shown(request.customer_session)
        account = r.account.number if shown else r.account.name
    return RegistrationOut(
        id=r.pk,
        kind=r.kind,
        biller_name=r.biller_name,
        biller_bankgiro=r.biller_bankgiro,
        payer_reference=r.payer_reference,
        account=account,
        state=r.state,
    )


def _registration_in(payload: RegistrationIn) -> RegistrationInput:
    return RegistrationInput(
        kind=payload.kind,
        biller_name=payload.biller_name,
        biller_bankgiro=payload.biller_bankgiro,
        payer_reference=payload.payer_reference,
        account_id=payload.account_id,
    )


@router.get(
    "/registrations",
    response=list[RegistrationOut],
    summary="Your autogiro and e-invoice registrations",
)
def registrations(request: PortalRequest) -> list[RegistrationOut]:
    rows = registrations_of(ctx=audit_context(request, AuditChannel.API), person=request.auth)
    return [_registration_out(request, r) for r in rows]


@router.post(
    "/registrations/signing",
    response={201: SigningOut},
    summary="Start an autogiro or e-invoice registration: the order to sign",
)
def registration_signing(request: PortalRequest, payload: RegistrationIn) -> Status[SigningOut]:
    order = registration_start(
        ctx=audit_context(request, AuditChannel.API),
        person=request.auth,
        data=_registration_in(payload),
    )
    return Status(201, signing_out(order))


@router.post(
    "/registrations/{signing_id}",
    response={201: RegistrationOut},
    summary="Create the registration the signature covers",
)
def registration_make(
    request: PortalRequest, signing_id: str, payload: RegistrationIn
) -> Status[RegistrationOut]:
    r = registration_create(
        ctx=audit_context(request, AuditChannel.API),
        person=request.auth,
        signing_id=signing_id,
        data=_registration_in(payload),
    )
    return Status(201, _registration_out(request, r))


class TradeIn(Schema):
    account_id: Id
    isin: str = Field(max_length=12)
    instrument: str = Field(max_length=60)
    side: str = Field(description="buy or sell")
    quantity: int
    limit_price: str = Field(max_length=20)


class TradeOut(Schema):
    id: int
    isin: str
    instrument: str
    side: str
    quantity: int
    limit_price: Decimal
    state: str
    fill_price: Decimal | None


def _trade_in(payload: TradeIn) -> TradeInput:
    return TradeInput(
        account_id=payload.account_id,
        isin=payload.isin,
        instrument=payload.instrument,
        side=payload.side,
        quantity=payload.quantity,
        limit_price=payload.limit_price,
    )


def _trade_out(o: TradeOrder) -> TradeOut:
    return TradeOut(
        id=o.pk,
        isin=o.isin,
        instrument=o.instrument,
        side=o.side,
        quantity=o.quantity,
        limit_price=o.limit_price,
        state=o.state,
        fill_price=o.fill_price,
    )


@router.get("/trades", response=list[TradeOut], summary="Your stock orders")
def trades(request: PortalRequest) -> list[TradeOut]:
    ctx = audit_context(request, AuditChannel.API)
    return [_trade_out(o) for o in trade_orders_of(ctx=ctx, person=request.auth)]


@router.post(
    "/trades/signing", response={201: SigningOut}, summary="Start a stock order: the order to sign"
)
def trade_signing(request: PortalRequest, payload: TradeIn) -> Status[SigningOut]:
    order = trade_start(
        ctx=audit_context(request, AuditChannel.API), person=request.auth, data=_trade_in(payload)
    )
    return Status(201, signing_out(order))


@router.post(
    "/trades/{signing_id}",
    response={201: TradeOut},
    summary="Place the stock order the signature covers",
)
def trade_create(request: PortalRequest, signing_id: str, payload: TradeIn) -> Status[TradeOut]:
    order = trade_place(
        ctx=audit_context(request, AuditChannel.API),
        person=request.auth,
        signing_id=signing_id,
        data=_trade_in(payload),
    )
    return Status(201, _trade_out(order))


@router.post("/trades/{order_id}/cancel", response=TradeOut, summary="Cancel an open order")
def trade_cancel_endpoint(request: PortalRequest, order_id: Id) -> TradeOut:
    return _trade_out(
        trade_cancel(
            ctx=audit_context(request, AuditChannel.API), person=request.auth, order_id=order_id
        )
    )
