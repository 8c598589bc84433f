"""API: the customer's autogiro with the insurer, as on the portal's autogiro page: the mandates
and the debits, stop one debit, revoke a mandate, add insurances to a mandate in force (signed,
like the mandate). The same services as the portal; refusals are problem+json naming the field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from ninja import Router, Schema, Status
from pydantic import Field

from trygg.billing.charges import charge_stop, is_stoppable, plan_of
from trygg.billing.mandates import (
    AttachInput,
    PolicyChoice,
    mandate_add_online,
    mandate_add_sign_start,
    mandate_revoke,
    mandates_of,
)
from trygg.identity.actors import audit_context
from trygg.identity.auth import CustomerSessionAuth
from trygg.identity.requests import PortalRequest
from trygg.identity.schemas import SigningOut, signing_out
from trygg.identity.sessions import account_information_shown
from trygg.kernel import clock
from trygg.kernel.ids import Id
from trygg.kernel.models import AuditChannel

router = Router(tags=["autogiro"], auth=CustomerSessionAuth())

if TYPE_CHECKING:
    from trygg.billing.models import Charge, Mandate


class MandatePolicyOut(Schema):
    policy_number: str
    period: str = Field(description="monthly, half_yearly or yearly")
    attached_on: dt.date
    detached_on: dt.date | None


class MandateOut(Schema):
    id: int
    payer_number: str = Field(description="The number Bankgirot knows the mandate by")
    account: str = Field(
        description="Clearing and account number debited, or only the bank when more than 180 "
        "days have passed since your last log-in with the security token or BankID"
    )
    bank: str
    state: str = Field(description="requested, sent, active, revoked, ended or rejected")
    requested_on: dt.date
    active_from: dt.date | None
    ended_on: dt.date | None
    policies: list[MandatePolicyOut]


class DebitOut(Schema):
    id: int
    policy_number: str
    due_date: dt.date
    amount: Decimal
    method: str = Field(description="autogiro or invoice")
    state: str
    stoppable: bool = Field(description="Whether the debit can still be stopped today")


class FollowUpOut(Schema):
    method: str = Field(description="autogiro: debited again; invoice: an invoice is sent")
    due_date: dt.date
    amount: Decimal
    ocr: str = Field(description="The OCR reference of the invoice, if one is sent")


class StoppedOut(Schema):
    debit: DebitOut
    follow_up: FollowUpOut = Field(description="The premium is still owed: how it is collected")


class RevokedOut(Schema):
    mandate: MandateOut
    note: str = Field(description="A debit still made because the revocation came too late")


class AttachIn(Schema):
    policies: list[str] = Field(description="Numbers of your insurances to add to the mandate")
    period: str = Field(
        "", description="monthly, half_yearly or yearly for all of them; empty: each its own"
    )


def _mandate_out(request: PortalRequest, m: Mandate) -> MandateOut:
    shown = account_information_shown(request.customer_session)
    return MandateOut(
        id=m.pk,
        payer_number=m.payer_number,
        account=f"{m.clearing}-{m.account}" if shown else "",
        bank=m.bank,
        state=m.state,
        requested_on=m.requested_on,
        active_from=m.active_from,
        ended_on=m.ended_on,
        policies=[
            MandatePolicyOut(
                policy_number=p.policy.number,
                period=p.period,
                attached_on=p.attached_on,
                detached_on=p.detached_on,
            )
            for p in m.policies.all()
        ],
    )


def _debit_out(c: Charge, today: dt.date) -> DebitOut:
    return DebitOut(
        id=c.pk,
        policy_number=c.policy.number,
        due_date=c.due_date,
        amount=c.amount,
        method=c.method,
        state=c.state,
        stoppable=is_stoppable(c, today),
    )


def _attach_input(payload: AttachIn) -> AttachInput:
    return AttachInput(
        policies=[PolicyChoice(number) for number in payload.policies], period=payload.period
    )


@router.get("/autogiro/mandates", response=list[MandateOut], summary="Your autogiro mandates")
def mandates(request: PortalRequest) -> list[MandateOut]:
    rows = mandates_of(ctx=audit_context(request, AuditChannel.API), person=request.auth)
    return [_mandate_out(request, m) for m in rows]


@router.get(
    "/autogiro/debits",
    response=list[DebitOut],
    summary="Your premiums from a year back: the payment plan and the next debits",
)
def debits(request: PortalRequest) -> list[DebitOut]:
    rows = plan_of(ctx=audit_context(request, AuditChannel.API), person=request.auth)
    today = clock.today()
    return [_debit_out(c, today) for c in rows]


@router.post(
    "/autogiro/debits/{charge_id}/stop",
    response=StoppedOut,
    summary="Stop one debit, at the latest 2 bank days before its due date",
)
def debit_stop(request: PortalRequest, charge_id: Id) -> StoppedOut:
    stopped = charge_stop(
        ctx=audit_context(request, AuditChannel.API), person=request.auth, charge_id=charge_id
    )
    follow_up = stopped.follow_up
    return StoppedOut(
        debit=_debit_out(stopped.charge, clock.today()),
        follow_up=FollowUpOut(
            method=follow_up.method,
            due_date=follow_up.due_date,
            amount=follow_up.amount,
            ocr=follow_up.ocr,
        ),
    )


@router.post(
    "/autogiro/mandates/{mandate_id}/revoke",
    response=RevokedOut,
    summary="Revoke a mandate: debits due at least 5 bank days later are not made",
)
def mandate_revoke_api(request: PortalRequest, mandate_id: Id) -> RevokedOut:
    mandate = mandate_revoke(
        ctx=audit_context(request, AuditChannel.API), person=request.auth, mandate_id=mandate_id
    )
    last = mandate.events.last()
    return RevokedOut(mandate=_mandate_out(request, mandate), note=last.note if last else "")


@router.post(
    "/autogiro/mandates/{mandate_id}/policies/signing",
    response={201: SigningOut},
    summary="Add insurances to a mandate in force: the order to sign",
)
def policies_add_signing(
    request: PortalRequest, mandate_id: Id, payload: AttachIn
) -> Status[SigningOut]:
    order = mandate_add_sign_start(
        ctx=audit_context(request, AuditChannel.API),
        person=request.auth,
        mandate_id=mandate_id,
        data=_attach_input(payload),
    )
    return Status(201, signing_out(order))


@router.post(
    "/autogiro/mandates/{mandate_id}/policies/{signing_id}",
    response=MandateOut,
    summary="Add the insurances the signature covers to the mandate",
)
def policies_add(
    request: PortalRequest, mandate_id: Id, signing_id: str, payload: AttachIn
) -> MandateOut:
    mandate = mandate_add_online(
        ctx=audit_context(request, AuditChannel.API),
        person=request.auth,
        mandate_id=mandate_id,
        signing_id=signing_id,
        data=_attach_input(payload),
    )
    fresh = mandates_of(ctx=audit_context(request, AuditChannel.API), person=request.auth)
    return _mandate_out(request, next(m for m in fresh if m.pk == mandate.pk))
