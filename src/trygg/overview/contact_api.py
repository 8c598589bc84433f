"""API: contact details of the parties the logged-in customer may see (own and firms)."""

from __future__ import annotations

from ninja import Router, Schema
from pydantic import Field

from trygg.identity.actors import audit_context
from trygg.identity.auth import CustomerSessionAuth
from trygg.identity.requests import PortalRequest
from trygg.kernel.ids import Id
from trygg.kernel.models import AuditChannel
from trygg.parties.selectors import ContactDetails, contact_details_read, party_for_viewer
from trygg.parties.services import ContactInput, contact_details_update

router = Router(tags=["customers"], auth=CustomerSessionAuth())


class ContactDetailsOut(Schema):
    party_id: int
    customer_number: str
    name: str
    care_of: str
    street: str
    postal_code: str
    city: str
    country: str
    email: str
    mobile: str
    home_phone: str


class ContactDetailsIn(Schema):
    care_of: str = Field("", max_length=100)
    street: str = Field(max_length=100)
    postal_code: str = Field(max_length=10)
    city: str = Field(max_length=60)
    email: str = Field("", max_length=254)
    mobile: str = Field("", max_length=30)
    home_phone: str = Field("", max_length=30)


def _out(details: ContactDetails) -> ContactDetailsOut:
    return ContactDetailsOut(**details.__dict__)


@router.get(
    "/parties/{party_id}/contact-details",
    response=ContactDetailsOut,
    summary="Contact details of one of your engagements",
)
def get_contact_details(request: PortalRequest, party_id: Id) -> ContactDetailsOut:
    party = party_for_viewer(viewer=request.auth, party_id=party_id)
    return _out(contact_details_read(ctx=audit_context(request, AuditChannel.API), party=party))


@router.put(
    "/parties/{party_id}/contact-details",
    response=ContactDetailsOut,
    summary="Change contact details",
)
def put_contact_details(
    request: PortalRequest, party_id: Id, payload: ContactDetailsIn
) -> ContactDetailsOut:
    party = party_for_viewer(viewer=request.auth, party_id=party_id)
    ctx = audit_context(request, AuditChannel.API)
    contact_details_update(ctx=ctx, party=party, data=ContactInput(**payload.model_dump()))
    return _out(contact_details_read(ctx=ctx, party=party))
