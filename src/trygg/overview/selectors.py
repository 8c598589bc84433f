"""The overview: the person's own and their firms' engagements, contact details and log-ins."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from trygg.identity.models import LoginEvent
from trygg.identity.selectors import login_history, token_to_activate
from trygg.insurance.models import Policy
from trygg.insurance.policies import current_term
from trygg.insurance.selectors import policies_of
from trygg.kernel.audit import AuditContext, audit_read_batch, audit_record
from trygg.kernel.models import AuditAction
from trygg.parties.models import Party
from trygg.parties.selectors import (
    ContactDetails,
    accessible_parties,
    engagement_contact_details,
)


@dataclass(frozen=True)
class Engagement:
    party_id: int
    customer_number: str
    name: str
    relation: str  # "private" or "sole_trader"
    contact: ContactDetails


@dataclass(frozen=True)
class PolicySummary:
    number: str
    insured: str
    level: int
    base_amount: Decimal | None
    state: str
    state_label: str


@dataclass(frozen=True)
class Overview:
    party_id: int
    customer_number: str
    name: str
    engagements: list[Engagement]
    logins: list[LoginEvent]
    token_to_activate: bool = False
    policies: list[PolicySummary] = field(default_factory=list)


def customer_self(*, ctx: AuditContext, person: Party) -> list[Party]:
    """Who the logged-in person is and which parties they act for (their firms): an audited
    read of the person's name and customer numbers."""
    parties = accessible_parties(person)
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=person.pk,
        object_type="customer",
        object_id=person.pk,
        detail={"parties": [p.pk for p in parties]},
    )
    return parties


def customer_overview(*, ctx: AuditContext, person: Party) -> Overview:
    """Everything the person's overview shows; each read of personal data is audited (the
    page's reads are appended to the audit log together)."""
    with audit_read_batch():
        return _overview(ctx, person)


def _overview(ctx: AuditContext, person: Party) -> Overview:
    engagements = [
        Engagement(
            contact.party_id,
            contact.customer_number,
            contact.name,
            "private" if contact.party_id == person.pk else "sole_trader",
            contact,
        )
        for contact in engagement_contact_details(ctx=ctx, person=person)
    ]
    return Overview(
        party_id=person.pk,
        customer_number=person.customer_number,
        name=person.display_name,
        engagements=engagements,
        logins=login_history(ctx=ctx, party=person, limit=10),
        token_to_activate=token_to_activate(person),
        policies=[_policy_summary(p) for p in policies_of(ctx=ctx, person=person)],
    )


def _policy_summary(policy: Policy) -> PolicySummary:
    term = current_term(policy)
    return PolicySummary(
        number=policy.number,
        insured=policy.insured.display_name,
        level=policy.level,
        base_amount=term.base_amount if term else None,
        state=policy.state,
        state_label=str(policy.get_state_display()),
    )
