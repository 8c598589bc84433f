"""API: who am I, and my overview."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema

from trygg.identity.actors import audit_context
from trygg.identity.auth import CustomerSessionAuth
from trygg.identity.requests import PortalRequest
from trygg.identity.sca import Function
from trygg.identity.schemas import LoginEventOut
from trygg.kernel.models import AuditChannel
from trygg.overview.contact_api import ContactDetailsOut
from trygg.overview.selectors import customer_overview, customer_self

router = Router(tags=["overview"], auth=CustomerSessionAuth())


class PartyRef(Schema):
    party_id: int
    customer_number: str
    name: str
    kind: str


class MeOut(Schema):
    party_id: int
    customer_number: str
    name: str
    authentication_method: str
    authentication_level: int
    authenticated_at: dt.datetime
    parties: list[PartyRef]


class EngagementOut(Schema):
    party_id: int
    customer_number: str
    name: str
    relation: str
    contact: ContactDetailsOut


class PolicySummaryOut(Schema):
    number: str
    insured: str
    level: int
    base_amount: Decimal | None
    state: str


class OverviewOut(Schema):
    party_id: int
    customer_number: str
    name: str
    engagements: list[EngagementOut]
    logins: list[LoginEventOut]
    policies: list[PolicySummaryOut]


@router.get("/me", response=MeOut, summary="The logged-in customer")
def me(request: PortalRequest) -> MeOut:
    person = request.auth
    session = request.customer_session
    assert session is not None  # the auth class let the request through
    return MeOut(
        party_id=person.pk,
        customer_number=person.customer_number,
        name=person.display_name,
        authentication_method=session.method,
        authentication_level=session.level,
        authenticated_at=session.authenticated_at,
        parties=[
            PartyRef(
                party_id=p.pk, customer_number=p.customer_number, name=p.display_name, kind=p.kind
            )
            for p in customer_self(ctx=audit_context(request, AuditChannel.API), person=person)
        ],
    )


@router.get(
    "/overview",
    response=OverviewOut,
    auth=CustomerSessionAuth(function=Function.OVERVIEW),
    summary="Overview of your engagements",
)
def overview(request: PortalRequest) -> OverviewOut:
    data = customer_overview(ctx=audit_context(request, AuditChannel.API), person=request.auth)
    return OverviewOut(
        party_id=data.party_id,
        customer_number=data.customer_number,
        name=data.name,
        engagements=[
            EngagementOut(
                party_id=e.party_id,
                customer_number=e.customer_number,
                name=e.name,
                relation=e.relation,
                contact=ContactDetailsOut(**e.contact.__dict__),
            )
            for e in data.engagements
        ],
        logins=[
            LoginEventOut(
                occurred_at=e.occurred_at, method=e.method, channel=e.channel, success=e.success
            )
            for e in data.logins
        ],
        policies=[
            PolicySummaryOut(
                number=p.number,
                insured=p.insured,
                level=p.level,
                base_amount=p.base_amount,
                state=p.state,
            )
            for p in data.policies
        ],
    )
