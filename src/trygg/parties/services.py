"""Every write to parties: register persons and organisations, link sole traders, contact details.

Each service runs in one transaction, writes one audit event per change and changes nothing when
a rule is broken.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from trygg.kernel import idnumbers
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.counters import counter_next
from trygg.kernel.errors import Conflict
from trygg.kernel.idnumber_messages import id_number_message
from trygg.kernel.models import AuditAction
from trygg.kernel.validation import (
    Problems,
    clean_email,
    clean_phone,
    clean_postal_code,
    clean_text,
)
from trygg.parties.models import (
    Address,
    AddressKind,
    ContactKind,
    ContactMethod,
    Party,
    PartyKind,
    SoleTrader,
)
from trygg.parties.rules import customer_number_from_serial


@dataclass(frozen=True)
class ContactInput:
    street: str = ""
    postal_code: str = ""
    city: str = ""
    care_of: str = ""
    email: str = ""
    mobile: str = ""
    home_phone: str = ""


def _parse_id(
    problems: Problems, field_name: str, text: object, *, person: bool
) -> idnumbers.IdNumber | None:
    if not isinstance(text, str) or not text.strip():
        problems.add(
            field_name,
            "id_number.required",
            _("Enter a personal identity number.")
            if person
            else _("Enter an organisation number."),
        )
        return None
    try:
        if person:
            return idnumbers.parse(text, person_only=True)
        return idnumbers.parse(text)
    except idnumbers.IdNumberError as exc:
        problems.add(field_name, exc.code, id_number_message(exc))
        return None


def _next_customer_number() -> str:
    return customer_number_from_serial(counter_next(name="customer_number", start=100001))


def _clean_contact(
    problems: Problems, data: ContactInput, *, country: str, address_required: bool
) -> dict[str, str]:
    cleaned = {
        "care_of": clean_text(problems, "care_of", data.care_of, max_length=100, required=False),
        "street": clean_text(
            problems, "street", data.street, max_length=100, required=address_required
        ),
        "city": clean_text(problems, "city", data.city, max_length=60, required=address_required),
        "email": clean_email(problems, "email", data.email, required=False),
        "mobile": clean_phone(problems, "mobile", data.mobile, region=country, required=False),
        "home_phone": clean_phone(
            problems, "home_phone", data.home_phone, region=country, required=False
        ),
    }
    if address_required or data.postal_code:
        cleaned["postal_code"] = clean_postal_code(
            problems, "postal_code", data.postal_code, country=country
        )
    else:
        cleaned["postal_code"] = ""
    return cleaned


def _write_contact(party: Party, cleaned: dict[str, str]) -> dict[str, list[str]]:
    """Store cleaned contact details; returns {field: [old, new]} for what changed."""
    changes: dict[str, list[str]] = {}
    address = party.addresses.filter(kind=AddressKind.POSTAL).first()
    if cleaned["street"] or address is not None:
        if address is None:
            address = Address(party=party, kind=AddressKind.POSTAL, country=party.country)
        for name in ("care_of", "street", "postal_code", "city"):
            old = getattr(address, name)
            if old != cleaned[name]:
                changes[name] = [old, cleaned[name]]
                setattr(address, name, cleaned[name])
        if changes:
            address.save()
    existing = {c.kind: c for c in party.contact_methods.all()}
    for name, kind in (
        ("email", ContactKind.EMAIL),
        ("mobile", ContactKind.MOBILE),
        ("home_phone", ContactKind.HOME_PHONE),
    ):
        new = cleaned[name]
        current = existing.get(kind)
        old = current.value if current else ""
        if old == new:
            continue
        changes[name] = [old, new]
        if not new and current:
            current.delete()
        elif current:
            current.value = new
            current.save(update_fields=["value", "updated_at"])
        else:
            ContactMethod.objects.create(party=party, kind=kind, value=new)
    return changes


def person_register(
    *,
    ctx: AuditContext,
    id_number: str,
    given_name: str,
    family_name: str,
    contact: ContactInput | None = None,
    preferred_language: str = "sv",
) -> Party:
    """Register a natural person as a customer with a new customer number."""
    problems = Problems()
    parsed = _parse_id(problems, "id_number", id_number, person=True)
    given = clean_text(problems, "given_name", given_name, max_length=100)
    family = clean_text(problems, "family_name", family_name, max_length=100)
    if preferred_language not in {"sv", "nb", "en"}:
        problems.add(
            "preferred_language", "language.unknown", _("Choose Swedish, Norwegian or English.")
        )
    country = parsed.country if parsed else "SE"
    cleaned = _clean_contact(
        problems, contact or ContactInput(), country=country, address_required=False
    )
    problems.raise_if_any()
    assert parsed is not None
    if Party.objects.filter(
        country=parsed.country,
        kind=PartyKind.PERSON if parsed.is_person else PartyKind.ORGANISATION,
        id_number=parsed.value,
    ).exists():
        raise Conflict(
            _("A customer with this identity number already exists."),
            code="party.duplicate",
            field="id_number",
        )
    try:
        with transaction.atomic():
            party = Party.objects.create(
                kind=PartyKind.PERSON,
                customer_number=_next_customer_number(),
                country=parsed.country,
                id_number=parsed.value,
                id_kind=parsed.kind.value,
                given_name=given,
                family_name=family,
                birth_date=parsed.birth_date,
                preferred_language=preferred_language,
            )
            _write_contact(party, cleaned)
            audit_record(
                ctx=ctx,
                action=AuditAction.CREATE,
                subject_id=party.pk,
                object_type="party",
                object_id=party.pk,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("A customer with this identity number already exists."),
            code="party.duplicate",
            field="id_number",
        ) from exc
    return party


def organisation_register(
    *, ctx: AuditContext, id_number: str, legal_name: str, contact: ContactInput | None = None
) -> Party:
    problems = Problems()
    parsed = _parse_id(problems, "id_number", id_number, person=False)
    name = clean_text(problems, "legal_name", legal_name, max_length=200)
    country = parsed.country if parsed else "SE"
    cleaned = _clean_contact(
        problems, contact or ContactInput(), country=country, address_required=False
    )
    problems.raise_if_any()
    assert parsed is not None
    if parsed.is_person:
        raise Conflict(
            _(
                "A sole trader's firm uses the owner's personal identity number; register the "
                "person and link the firm instead."
            ),
            code="party.person_number_for_firm",
            field="id_number",
        )
    if Party.objects.filter(
        country=parsed.country,
        kind=PartyKind.PERSON if parsed.is_person else PartyKind.ORGANISATION,
        id_number=parsed.value,
    ).exists():
        raise Conflict(
            _("A customer with this identity number already exists."),
            code="party.duplicate",
            field="id_number",
        )
    with transaction.atomic():
        party = Party.objects.create(
            kind=PartyKind.ORGANISATION,
            customer_number=_next_customer_number(),
            country=parsed.country,
            id_number=parsed.value,
            id_kind=parsed.kind.value,
            legal_name=name,
        )
        _write_contact(party, cleaned)
        audit_record(ctx=ctx, action=AuditAction.CREATE, object_type="party", object_id=party.pk)
    return party


def sole_trader_firm_register(
    *,
    ctx: AuditContext,
    person: Party,
    firm_name: str,
    since: dt.date,
    contact: ContactInput | None = None,
) -> Party:
    """Register a sole trader's firm (enskild firma) and link it to its owner.

    A Swedish sole trader has no organisation number of its own: the firm is identified by the
    owner's personal identity number. The firm is stored as an organisation party with its own
    customer number and the owner's identity number under the kind ``sole_trader``.
    """
    problems = Problems()
    name = clean_text(problems, "firm_name", firm_name, max_length=200)
    if not person.is_person:
        problems.add("person", "sole_trader.not_a_person", _("A sole trader is a natural person."))
    cleaned = _clean_contact(
        problems, contact or ContactInput(), country=person.country, address_required=False
    )
    problems.raise_if_any()
    if SoleTrader.objects.filter(person=person).exists():
        raise Conflict(
            _("This person already has a sole trader's firm."),
            code="sole_trader.exists",
            field="person",
        )
    with transaction.atomic():
        firm = Party.objects.create(
            kind=PartyKind.ORGANISATION,
            customer_number=_next_customer_number(),
            country=person.country,
            id_number=person.id_number,
            id_kind="sole_trader",
            legal_name=name,
        )
        _write_contact(firm, cleaned)
        SoleTrader.objects.create(person=person, firm=firm, since=since)
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=person.pk,
            object_type="sole_trader",
            object_id=firm.pk,
        )
    return firm


def contact_details_update(
    *, ctx: AuditContext, party: Party, data: ContactInput
) -> dict[str, list[str]]:
    """Change a party's postal address, e-mail and phones; returns what changed (audited)."""
    problems = Problems()
    cleaned = _clean_contact(problems, data, country=party.country, address_required=True)
    problems.raise_if_any()
    with transaction.atomic():
        changes = _write_contact(party, cleaned)
        if changes:
            audit_record(
                ctx=ctx,
                action=AuditAction.UPDATE,
                subject_id=party.pk,
                object_type="contact_details",
                object_id=party.pk,
                detail={"fields": sorted(changes)},
            )
    return changes
