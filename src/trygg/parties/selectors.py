"""Reads of parties for views and APIs. Every read of personal data is audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import NotFound
from trygg.kernel.models import AuditAction
from trygg.kernel.statements import PreparedRead, PreparedRows
from trygg.parties.models import (
    Address,
    AddressKind,
    ContactKind,
    ContactMethod,
    FirmLinkState,
    Party,
    PartyKind,
    SoleTrader,
)


def person_by_id_number(*, country: str, id_number: str) -> Party | None:
    """The person with this normalised identity number, if any (not audited: used by log-in,
    which audits its own outcome)."""
    return Party.objects.filter(country=country, kind=PartyKind.PERSON, id_number=id_number).first()


def _acting_for(person_id: int, field: str) -> tuple[Q, Q]:
    """Whom a person acts for, the one place of the rule: the person themself, or a firm they
    own as a sole trader, by an approved link (a proposed or rejected one gives nothing). Two
    terms on ``field`` (a foreign key to Party, or ``""`` for Party itself), for the callers to
    join with OR or with a UNION."""
    prefix = f"{field}__" if field else ""
    return (
        Q(**{field or "pk": person_id}),
        Q(
            **{
                f"{prefix}sole_trader__person_id": person_id,
                f"{prefix}sole_trader__state": FirmLinkState.APPROVED,
            }
        ),
    )


_PARTY = PreparedRead(lambda party_id: Party.objects.filter(pk=party_id))
_FIRMS = PreparedRead(lambda person_id: Party.objects.filter(_acting_for(person_id, "")[1]))


def _contact_rows(person_id: int) -> QuerySet[Any]:
    """The parties the person acts for, one row each with the postal address (one per kind, by
    constraint) and the e-mail and phones (one per kind), each a subquery on its ``(party,
    kind)`` key: the person and their firms as a UNION of two index lookups."""
    postal = Address.objects.filter(party_id=OuterRef("pk"), kind=AddressKind.POSTAL).order_by()

    def address(field: str) -> Subquery:
        return Subquery(postal.values(field)[:1])

    def contact(kind: ContactKind) -> Subquery:
        methods = ContactMethod.objects.filter(party_id=OuterRef("pk"), kind=kind).order_by()
        return Subquery(methods.values("value")[:1])

    rows = (
        Party.objects.annotate(
            postal_care_of=address("care_of"),
            postal_street=address("street"),
            postal_code_of=address("postal_code"),
            postal_city=address("city"),
            postal_country=address("country"),
            contact_email=contact(ContactKind.EMAIL),
            contact_mobile=contact(ContactKind.MOBILE),
            contact_home_phone=contact(ContactKind.HOME_PHONE),
        )
        .order_by()
        .values_list(
            "pk",
            "customer_number",
            "kind",
            "given_name",
            "family_name",
            "legal_name",
            "country",
            "postal_care_of",
            "postal_street",
            "postal_code_of",
            "postal_city",
            "postal_country",
            "contact_email",
            "contact_mobile",
            "contact_home_phone",
        )
    )
    own, firms = _acting_for(person_id, "")
    return rows.filter(own).union(rows.filter(firms), all=True)


_CONTACT_ROWS = PreparedRows(_contact_rows)


def party_by_pk(party_id: int) -> Party | None:
    """The party with this id, if any (not audited: the logged-in customer's own record, which
    every request of theirs loads)."""
    rows = _PARTY(party_id)
    return rows[0] if rows else None


def accessible_parties(person: Party) -> list[Party]:
    """The parties whose engagements ``person`` sees: the person and the firms they own."""
    return [person, *_FIRMS(person.pk)]


def accessible_q(person: Party, field: str = "party") -> Q:
    """A filter on ``field`` (a foreign key to Party) for the parties ``person`` acts for, the
    same set as :func:`accessible_parties`, in the query itself."""
    own, firms = _acting_for(person.pk, field)
    return own | firms


def party_for_viewer(*, viewer: Party, party_id: int) -> Party:
    """The party ``party_id`` if ``viewer`` may see it, else NotFound (never a hint that it
    exists)."""
    if party_id == viewer.pk:
        return viewer
    link = (
        SoleTrader.objects.select_related("firm")
        .filter(person=viewer, firm_id=party_id, state=FirmLinkState.APPROVED)
        .first()
    )
    if link is None:
        raise NotFound(_("No such customer engagement."), code="party.not_found")
    return link.firm


def data_subject_of(party: Party) -> int:
    """The natural person whose personal data a party's records are: the owner for a sole
    trader's firm, the person itself otherwise (a company's own data is not personal data, but
    its contacts may be: the company id stands in)."""
    if party.is_person:
        return party.pk
    link = getattr(party, "sole_trader", None)
    return link.person_id if link is not None else party.pk


@dataclass(frozen=True)
class ContactDetails:
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


def contact_details_read(*, ctx: AuditContext, party: Party) -> ContactDetails:
    """The party's contact details (an audited read of personal data)."""
    details = _details(party, party.addresses.all(), party.contact_methods.all())
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=data_subject_of(party),
        object_type="contact_details",
        object_id=party.pk,
    )
    return details


def engagement_contact_details(*, ctx: AuditContext, person: Party) -> list[ContactDetails]:
    """The contact details of the person and then of the firms they own, by customer number, in
    one statement however many firms; each party's read audited (the data subject of a firm's
    details is its owner, the person)."""
    rows = sorted(_CONTACT_ROWS(person.pk), key=lambda row: (row[0] != person.pk, row[1]))
    details = [
        ContactDetails(
            party_id=pk,
            customer_number=customer_number,
            name=Party.name_of(kind, given_name, family_name, legal_name),
            care_of=care_of or "",
            street=street or "",
            postal_code=postal_code or "",
            city=city or "",
            country=country if postal_country is None else postal_country,
            email=email or "",
            mobile=mobile or "",
            home_phone=home_phone or "",
        )
        for (
            pk,
            customer_number,
            kind,
            given_name,
            family_name,
            legal_name,
            country,
            care_of,
            street,
            postal_code,
            city,
            postal_country,
            email,
            mobile,
            home_phone,
        ) in rows
    ]
    for contact in details:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=person.pk,
            object_type="contact_details",
            object_id=contact.party_id,
        )
    return details


def _details(
    party: Party, addresses: Iterable[Address], contact_methods: Iterable[ContactMethod]
) -> ContactDetails:
    """The postal address (one per kind, by constraint) and the e-mail and phones."""
    address = next((a for a in addresses if a.kind == AddressKind.POSTAL), None)
    methods = {c.kind: c.value for c in contact_methods}
    return ContactDetails(
        party_id=party.pk,
        customer_number=party.customer_number,
        name=party.display_name,
        care_of=address.care_of if address else "",
        street=address.street if address else "",
        postal_code=address.postal_code if address else "",
        city=address.city if address else "",
        country=address.country if address else party.country,
        email=methods.get(ContactKind.EMAIL, ""),
        mobile=methods.get(ContactKind.MOBILE, ""),
        home_phone=methods.get(ContactKind.HOME_PHONE, ""),
    )
