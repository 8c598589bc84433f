"""Every write to parties: register persons and organisations, link sole traders' firms (four
eyes: proposed by one member of staff, approved by another), contact details.

Each service runs in one transaction, writes one audit event per change and changes nothing when
a rule is broken.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.kernel import clock, idnumbers
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.counters import counter_next
from trygg.kernel.errors import Conflict, PermissionDenied, ValidationFailed
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
    FirmLinkState,
    Party,
    PartyKind,
    SoleTrader,
)
from trygg.parties.rules import (
    LinkProblem,
    Registration,
    customer_number_from_serial,
    firm_link_may_move,
    firm_link_problems,
    four_eyes_problem,
)


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
    *,
    ctx: AuditContext,
    id_number: str,
    legal_name: str,
    contact: ContactInput | None = None,
    registered_owner: str = "",
) -> Party:
    """Register an organisation. ``registered_owner``: for a sole proprietorship with a number
    of its own (a Norwegian enkeltpersonforetak), the owner's personal identity number as the
    business register records it; a firm link to that person is then possible."""
    problems = Problems()
    parsed = _parse_id(problems, "id_number", id_number, person=False)
    name = clean_text(problems, "legal_name", legal_name, max_length=200)
    owner = (
        _parse_id(problems, "registered_owner", registered_owner, person=True)
        if registered_owner.strip()
        else None
    )
    country = parsed.country if parsed else "SE"
    if owner is not None and parsed is not None and owner.country != parsed.country:
        problems.add(
            "registered_owner",
            "registered_owner.country",
            _("The owner's identity number is of another country than the organisation's."),
        )
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
            registered_owner=owner.value if owner else "",
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
    """Register a sole trader's firm (enskild firma) and propose its link to its owner.

    A Swedish sole trader has no organisation number of its own: the firm is identified by the
    owner's personal identity number. The firm is stored as an organisation party with its own
    customer number and the owner's identity number under the kind ``sole_trader`` (its
    registered owner). Staff propose the link, which another member of staff approves
    (:func:`firm_link_approve`); a registration by trygg itself (``ctx`` of kind system: demo
    data, a migration from another system) is approved by the system at once.
    """
    problems = Problems()
    name = clean_text(problems, "firm_name", firm_name, max_length=200)
    if not person.is_person:
        problems.add("person", "sole_trader.not_a_person", _("A sole trader is a natural person."))
    cleaned = _clean_contact(
        problems, contact or ContactInput(), country=person.country, address_required=False
    )
    problems.raise_if_any()
    if Party.objects.filter(
        country=person.country, kind=PartyKind.ORGANISATION, id_number=person.id_number
    ).exists():
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
            registered_owner=person.id_number,
        )
        _write_contact(firm, cleaned)
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=person.pk,
            object_type="party",
            object_id=firm.pk,
            detail={"sole_trader_firm_of": person.customer_number},
        )
        link = firm_link_propose(ctx=ctx, person=person, firm=firm, since=since)
        if ctx.actor_kind == "system":
            _firm_link_decide(ctx, link, FirmLinkState.APPROVED)
    return firm


# The pure rules' problems in the user's language, by code.
_LINK_MESSAGES = {
    "sole_trader.not_a_person": gettext_lazy("A sole trader is a natural person."),
    "firm_link.not_a_firm": gettext_lazy("Only a firm (an organisation) can be linked."),
    "firm_link.not_the_owners": gettext_lazy(
        "The firm's registration does not name this person as its owner: only the person's "
        "own sole trader business can be linked."
    ),
    "firm_link.four_eyes": gettext_lazy(
        "Another member of staff must approve the link you proposed."
    ),
    "firm_link.no_decider": gettext_lazy("The decision needs a decider."),
}


def _link_message(problem: LinkProblem) -> str:
    return str(_LINK_MESSAGES.get(problem.code, problem.message))


def _actor(ctx: AuditContext) -> str:
    return f"{ctx.actor_kind}:{ctx.actor_id or ctx.actor_label}"


def _firm_link_audit(ctx: AuditContext, link: SoleTrader, action: str, **detail: object) -> None:
    """One event under each data subject: the owner, and the firm (whose records are the
    owner's personal data too), naming both parties and what was linked."""
    what = {
        "person": link.person.customer_number,
        "firm": link.firm.customer_number,
        "firm_name": link.firm.legal_name,
        "firm_id_number": link.firm.id_number,
        "since": link.since.isoformat(),
        "state": link.state,
        **detail,
    }
    for subject in dict.fromkeys((link.person_id, link.firm_id)):
        audit_record(
            ctx=ctx,
            action=action,
            subject_id=subject,
            object_type="sole_trader",
            object_id=link.pk,
            detail=what,
        )


def firm_link_propose(
    *, ctx: AuditContext, person: Party, firm: Party, since: dt.date
) -> SoleTrader:
    """Propose ``firm`` as ``person``'s sole trader's firm. Only a firm whose registration
    names the person as owner is accepted; the link gives no access until another member of
    staff approves it."""
    problems = Problems()
    for problem in firm_link_problems(person=_registration(person), firm=_registration(firm)):
        problems.add(problem.field, problem.code, _link_message(problem))
    if not isinstance(since, dt.date):
        problems.add("since", "date.required", _("Give the date the firm was started."))
    elif since > clock.today():
        problems.add("since", "date.future", _("The date must not be in the future."))
    problems.raise_if_any()
    with transaction.atomic():
        link = SoleTrader.objects.select_for_update().filter(firm=firm).first()
        if link is not None and not firm_link_may_move(link.state, FirmLinkState.PROPOSED):
            raise Conflict(
                _("This firm is already linked, or a link waits for approval."),
                code="firm_link.exists",
                field="firm",
            )
        if link is None:
            link = SoleTrader(firm=firm)
        link.person = person
        link.since = since
        link.state = FirmLinkState.PROPOSED
        link.proposed_by = "" if ctx.actor_kind == "system" else _actor(ctx)
        link.proposed_by_label = ctx.actor_label
        link.proposed_at = clock.now()
        link.decided_by = link.decided_by_label = ""
        link.decided_at = None
        link.save()
        _firm_link_audit(ctx, link, AuditAction.CREATE)
    return link


def _registration(party: Party) -> Registration:
    return Registration(
        kind=party.kind,
        country=party.country,
        id_number=party.id_number,
        registered_owner=party.registered_owner,
    )


def _firm_link_decide(ctx: AuditContext, link: SoleTrader, target: str) -> SoleTrader:
    with transaction.atomic():
        locked = SoleTrader.objects.select_for_update().select_related("person", "firm")
        current = locked.get(pk=link.pk)
        if not firm_link_may_move(current.state, target):
            raise Conflict(
                _("This link is no longer waiting for approval."),
                code="firm_link.transition",
                field="state",
            )
        decider = _actor(ctx)
        problem = four_eyes_problem(proposed_by=current.proposed_by, decided_by=decider)
        if problem is not None:
            raise PermissionDenied(_link_message(problem), code=problem.code)
        if target == FirmLinkState.APPROVED:
            # The registration is checked again: it may have changed since the proposal.
            problems = firm_link_problems(
                person=_registration(current.person), firm=_registration(current.firm)
            )
            if problems:
                raise ValidationFailed(
                    code=problems[0].code,
                    field=problems[0].field,
                    message=_link_message(problems[0]),
                )
        current.state = target
        current.decided_by = decider
        current.decided_by_label = ctx.actor_label
        current.decided_at = clock.now()
        current.save(update_fields=["state", "decided_by", "decided_by_label", "decided_at"])
        _firm_link_audit(ctx, current, AuditAction.UPDATE, decided=target)
    return current


def firm_link_approve(*, ctx: AuditContext, link: SoleTrader) -> SoleTrader:
    """A second member of staff approves a proposed link; from now on the person acts for the
    firm. The proposer cannot approve their own proposal."""
    return _firm_link_decide(ctx, link, FirmLinkState.APPROVED)


def firm_link_reject(*, ctx: AuditContext, link: SoleTrader) -> SoleTrader:
    """A second member of staff rejects a proposed link; it gives no access."""
    return _firm_link_decide(ctx, link, FirmLinkState.REJECTED)


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
