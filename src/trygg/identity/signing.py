"""One signing service for every function that needs a signature (RTS Art. 5, dynamic linking).

A function that needs a signature (see ``sca.POLICY``) first creates a signing order from the
order's canonical data: the customer is shown what is signed (amount and payee for a payment),
and the token's challenge is derived from exactly that data. Once signed, the executing service
carries it out under ``signed_execution`` with the data it is about to execute: a different
amount, payee or any other field does not match the hash and voids the signature; a signature is
used once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.http import HttpResponseBase
from django.utils.translation import gettext as _

from trygg.identity.attempts import (
    attempt_count,
    attempt_failed,
    attempt_succeeded,
    failure_message,
)
from trygg.identity.bankid.client import BankIdError, Requirement
from trygg.identity.bankid.messages import user_message
from trygg.identity.bankid_login import (
    BankIdUnavailable,
    PendingBankId,
    bankid_client,
    bankid_error_message,
    bankid_language,
)
from trygg.identity.hashing import throttle_key
from trygg.identity.models import (
    LoginMethod,
    SecurityToken,
    SigningOrder,
    SigningState,
    TokenKind,
    TokenState,
)
from trygg.identity.otp.ocra import ocra_verify, signing_challenge
from trygg.identity.sca import POLICY, Function, Proof, time_code_may_sign
from trygg.identity.tokens import OCRA_SUITE, time_code_take
from trygg.identity.tokenseeds import seed_decrypt
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import Conflict, ValidationFailed
from trygg.kernel.models import AuditAction
from trygg.parties.models import Party

if TYPE_CHECKING:
    from trygg.identity.requests import PortalRequest

SIGNING_VALIDITY = dt.timedelta(minutes=5)


def canonical_payload(payload: dict[str, Any]) -> str:
    """The one serialisation of an order's data that is hashed and signed."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_payload(payload).encode()).hexdigest()


@dataclass(frozen=True)
class SigningRequest:
    function: Function
    payload: dict[str, Any]  # every field the order executes with
    summary: str  # what the customer sees and signs, in words
    amount_minor: int  # 0 when the order moves no money
    payee: str  # canonical payee (account, bankgiro, ISIN, mandate ...)
    kind: str = ""  # which of the function's orders, when one function has several (see below)


def signing_start(
    *, ctx: AuditContext, signer: Party, acting_for: Party, request: SigningRequest
) -> SigningOrder:
    """Create the order to be signed; the challenge is derived from its amount and payee."""
    if POLICY[request.function].proof is not Proof.SIGNATURE:
        raise ValidationFailed(
            code="signing.not_required",
            field="function",
            message=_("This function does not need a signature."),
        )
    if not signer.is_person:
        raise ValidationFailed(
            code="signing.person_only", field="signer", message=_("Orders are signed by a person.")
        )
    public_id = secrets.token_hex(12)
    now = clock.now()
    with transaction.atomic():
        order = SigningOrder.objects.create(
            public_id=public_id,
            party=signer,
            acting_for=acting_for,
            function=request.function,
            kind=request.kind,
            payload=request.payload,
            payload_hash=payload_hash(request.payload),
            summary=request.summary,
            challenge=signing_challenge(
                amount_minor=request.amount_minor, payee=request.payee, order_id=public_id
            ),
            created_at=now,
            expires_at=now + SIGNING_VALIDITY,
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=signer.pk,
            object_type="signing_order",
            object_id=order.pk,
            detail={"function": request.function, "kind": request.kind},
        )
    return order


def _pending(order: SigningOrder) -> SigningOrder:
    locked = SigningOrder.objects.select_for_update().get(pk=order.pk)
    if locked.state == SigningState.PENDING and locked.expires_at < clock.now():
        locked.state = SigningState.EXPIRED
        locked.save(update_fields=["state"])
    if locked.state != SigningState.PENDING:
        raise Conflict(
            _("This order can no longer be signed (%(state)s). Start again.")
            % {"state": locked.get_state_display()},
            code="signing.not_pending",
        )
    return locked


def signing_complete_with_token(
    *, ctx: AuditContext, order: SigningOrder, response: object
) -> SigningOrder:
    """Sign with the security token: a challenge token's response to the order's challenge, or
    a time-code token's current code where the order allows it (``sca.time_code_may_sign``).
    A wrong response counts on the shared failure counter."""
    party = order.party
    token = SecurityToken.objects.filter(party=party, state=TokenState.ACTIVE).first()
    time_code = token is not None and token.kind == TokenKind.TOTP
    if time_code and not time_code_may_sign(order.function):
        raise ValidationFailed(
            code="signing.time_code_not_enough",
            field="response",
            message=_(
                "Your security token shows a time code, which cannot sign a payment or a new "
                "payee: the code must cover the amount and the receiver. Sign with BankID."
            ),
        )
    digits = 6 if time_code else 8
    if (
        not isinstance(response, str)
        or not response.strip().isdigit()
        or len(response.strip()) != digits
    ):
        raise ValidationFailed(
            code="token.response_format",
            field="response",
            message=_("Type the %(digits)d digits the token shows.") % {"digits": digits},
        )
    if token is None:
        raise ValidationFailed(
            code="signing.no_token",
            field="response",
            message=_(
                "You have no security token that can sign. Sign with BankID, or order a token."
            ),
        )
    key = throttle_key(party.country, party.id_number)
    attempt = attempt_count(key)
    with transaction.atomic():
        locked = _pending(order)
        match: object
        if attempt.refused_unchecked:
            match = None
        elif time_code:
            match = time_code_take(token, response.strip())
        else:
            match = ocra_verify(
                OCRA_SUITE,
                seed_decrypt(token.seed_encrypted),
                response.strip(),
                challenge=order.challenge,
            )
        refused = match is None or attempt.refused_unchecked
        if refused:
            attempt_failed(key, attempt)
            audit_record(
                ctx=ctx,
                action=AuditAction.FAILED_LOGIN,
                subject_id=party.pk,
                object_type="signing_order",
                object_id=order.pk,
            )
        else:
            attempt_succeeded(key)
            locked.state = SigningState.SIGNED
            locked.method = LoginMethod.TOKEN
            locked.signed_at = clock.now()
            locked.evidence = (
                {"token": token.serial, "kind": "totp", "step": match}
                if time_code
                else {"token": token.serial, "suite": OCRA_SUITE, "challenge": locked.challenge}
            )
            locked.save(update_fields=["state", "method", "signed_at", "evidence"])
            audit_record(
                ctx=ctx,
                action=AuditAction.SIGN,
                subject_id=party.pk,
                object_type="signing_order",
                object_id=order.pk,
                detail={"function": locked.function, "method": "totp" if time_code else "token"},
            )
    if refused:
        refusal = failure_message(attempt.failures)
        raise ValidationFailed(
            code="signing.wrong_code",
            field="response",
            message=refusal.message
            if refusal.code == "login.locked"
            else _("The code does not match this order. Check the challenge and try again.")
            if not time_code
            else _("The code is not right. Type the code the token shows now."),
        )
    return locked


def _signed_order(public_id: str, signer: Party) -> SigningOrder:
    order = (
        SigningOrder.objects.select_for_update().filter(public_id=public_id, party=signer).first()
    )
    if order is None:
        raise ValidationFailed(
            code="signing.unknown", field="signing_id", message=_("No such signed order.")
        )
    if order.state != SigningState.SIGNED:
        raise ValidationFailed(
            code="signing.not_signed",
            field="signing_id",
            message=_("The order has not been signed, or its signature has been used."),
        )
    if order.signed_at is not None and order.signed_at + SIGNING_VALIDITY < clock.now():
        raise ValidationFailed(
            code="signing.expired",
            field="signing_id",
            message=_("The signature has expired. Sign the order again."),
        )
    return order


@contextmanager
def signed_execution(
    *, ctx: AuditContext, public_id: str, signer: Party, function: Function, payload: dict[str, Any]
) -> Iterator[SigningOrder]:
    """Carry out an order under the signature that covers it.

    First, in a transaction of its own, the signature is checked against the data about to be
    executed: if the function or any field differs, the signature is voided for good and the
    order refused. Then the block runs in one transaction with the signature marked used, so
    the order executes exactly once; if the block fails, nothing is executed and the signature
    may be used again while it is valid.
    """
    with transaction.atomic():
        order = _signed_order(public_id, signer)
        changed = order.function != function or order.payload_hash != payload_hash(payload)
        if changed:
            order.state = SigningState.FAILED
            order.save(update_fields=["state"])
            audit_record(
                ctx=ctx,
                action=AuditAction.UPDATE,
                subject_id=signer.pk,
                object_type="signing_order",
                object_id=order.pk,
                detail={"voided": "the order changed after signing"},
            )
    if changed:
        raise ValidationFailed(
            code="signing.mismatch",
            field="signing_id",
            message=_(
                "The order was changed after it was signed; the "
                "signature is void. Sign the order again."
            ),
        )
    with transaction.atomic():
        order = _signed_order(public_id, signer)
        order.state = SigningState.USED
        order.used_at = clock.now()
        order.save(update_fields=["state", "used_at"])
        yield order


def signing_start_bankid(
    *, ctx: AuditContext, order: SigningOrder, end_user_ip: str
) -> PendingBankId:
    """Ask BankID to sign the order: the app shows the customer the order's text, and the
    order's hash travels as the non-visible data, so the signature covers exactly this order.
    The signer must be the customer (BankID's personal number is checked on completion)."""
    with transaction.atomic():
        _pending(order)
    with bankid_client() as client:
        try:
            started = client.sign(
                end_user_ip,
                order.summary,
                user_non_visible_data=order.payload_hash,
                requirement=Requirement(personal_number=order.party.id_number),
            )
        except BankIdError as error:
            raise BankIdUnavailable(bankid_error_message(error)) from error
    assert started.qr_start_token and started.qr_start_secret and started.auto_start_token
    audit_record(
        ctx=ctx,
        action=AuditAction.UPDATE,
        subject_id=order.party_id,
        object_type="signing_order",
        object_id=order.pk,
        detail={"bankid_order": started.order_ref},
    )
    return PendingBankId(
        started.order_ref,
        started.qr_start_token,
        started.qr_start_secret,
        started.auto_start_token,
        time.time(),
    )


def signing_collect_bankid(
    *, ctx: AuditContext, order: SigningOrder, pending: PendingBankId
) -> tuple[str, str]:
    """Poll BankID for the order's signature: ("pending" | "failed" | "signed", message)."""
    with bankid_client() as client:
        try:
            collected = client.collect(pending.order_ref)
        except BankIdError as error:
            return "failed", bankid_error_message(error)
    if collected.status != "complete" or collected.completion is None:
        return collected.status, user_message(
            collected.status,
            collected.hint_code,
            None,
            language=bankid_language(),
            started_with="qr",
        )
    completion = collected.completion
    if completion.user.personal_number != order.party.id_number:
        return "failed", _("The order was signed by someone else; it is not carried out.")
    with transaction.atomic():
        locked = _pending(order)
        locked.state = SigningState.SIGNED
        locked.method = LoginMethod.BANKID
        locked.signed_at = clock.now()
        locked.evidence = {
            "bankid_order": pending.order_ref,
            "signature": completion.signature,
            "ocsp": completion.ocsp_response,
        }
        locked.save(update_fields=["state", "method", "signed_at", "evidence"])
        audit_record(
            ctx=ctx,
            action=AuditAction.SIGN,
            subject_id=order.party_id,
            object_type="signing_order",
            object_id=order.pk,
            detail={"function": locked.function, "method": "bankid"},
        )
    return "signed", _("Signed with BankID.")


# -- what a signed order does once signed ---------------------------------------------------
#
# The signing pages are one hub for every domain: once an order is signed, the hub looks up who
# carries it out by the order's function and kind. Each domain fills in its own entries when
# its app is ready (``AppConfig.ready``); the hub knows no domain. One function may have several
# kinds of order (``autogiro_register``: a bank's registration with a biller, or a premium
# mandate with the insurer); a kind nobody registered is refused, never guessed.

Completion = Callable[["PortalRequest", SigningOrder], HttpResponseBase]

_COMPLETIONS: dict[tuple[str, str], Completion] = {}


def signing_completion_register(
    function: Function, completion: Completion, *, kind: str = ""
) -> None:
    """Register who carries out a signed order of ``function`` and ``kind`` (once per pair)."""
    key = (str(function), kind)
    if _COMPLETIONS.get(key, completion) is not completion:
        raise ValueError(f"A completion for {key} is registered already.")
    _COMPLETIONS[key] = completion


def signing_completion(order: SigningOrder) -> Completion:
    """Who carries out this signed order; an order of a function or kind that no domain
    registered is refused (nothing is carried out)."""
    completion = _COMPLETIONS.get((order.function, order.kind))
    if completion is None:
        raise ValidationFailed(
            code="signing.unknown_kind",
            field="function",
            message=_("This kind of order cannot be carried out here (%(kind)s).")
            % {"kind": f"{order.function}/{order.kind}" if order.kind else order.function},
        )
    return completion
