"""API: report an accident on a policy; follow the claims and their decisions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from ninja import Router, Schema, Status
from pydantic import Field

from trygg.claims.messages import line_basis
from trygg.claims.selectors import claims_of
from trygg.claims.services import claim_report, lines_explained
from trygg.identity.actors import audit_context
from trygg.identity.auth import CustomerSessionAuth
from trygg.identity.requests import PortalRequest
from trygg.identity.sca import Function
from trygg.kernel.ids import Id
from trygg.kernel.models import AuditChannel

router = Router(tags=["claims"], auth=CustomerSessionAuth())


if TYPE_CHECKING:
    from trygg.claims.models import Claim


class ClaimIn(Schema):
    policy_number: str = Field(max_length=20)
    accident_date: dt.date
    description: str = Field(max_length=4000)
    payout_account_id: Id | None = Field(None, description="One of your accounts with us")
    payout_destination: str = Field(
        "", max_length=30, description="Or an account at another bank: clearing and number"
    )


class BenefitOut(Schema):
    item: str
    amount: Decimal
    basis: str


class ClaimOut(Schema):
    number: str
    policy_number: str
    accident_date: dt.date
    state: str
    total: Decimal
    pbb_year: int | None
    benefits: list[BenefitOut]


def _claim_out(c: Claim) -> ClaimOut:
    return ClaimOut(
        number=c.number,
        policy_number=c.policy.number,
        accident_date=c.accident_date,
        state=c.state,
        total=c.total,
        pbb_year=c.pbb_year,
        benefits=[
            BenefitOut(item=line["item"], amount=line["amount"], basis=line_basis(line))
            for line in lines_explained(c)
        ],
    )


@router.get(
    "/insurance/claims",
    response=list[ClaimOut],
    auth=CustomerSessionAuth(function=Function.INSURANCE),
    summary="Your claims",
)
def claims(request: PortalRequest) -> list[ClaimOut]:
    rows = claims_of(ctx=audit_context(request, AuditChannel.API), person=request.auth)
    return [_claim_out(c) for c in rows]


@router.post("/insurance/claims", response={201: ClaimOut}, summary="Report an accident")
def report(request: PortalRequest, payload: ClaimIn) -> Status[ClaimOut]:
    claim = claim_report(
        ctx=audit_context(request, AuditChannel.API),
        person=request.auth,
        policy_number=payload.policy_number,
        accident_date=payload.accident_date,
        description=payload.description,
        payout_account=payload.payout_account_id,
        payout_destination=payload.payout_destination,
    )
    return Status(201, _claim_out(claim))
