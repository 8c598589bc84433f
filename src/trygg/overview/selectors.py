"""The overview: the person's own and their firms' engagements, contact details and log-ins."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import prefetch_related_objects

from trygg.identity.models import LoginEvent, SecurityToken, TokenState
from trygg.identity.selectors import login_history
from trygg.insurance.models import Policy
from trygg.insurance.policies import current_term, policies_of
from trygg.kernel.audit import AuditContext, audit_read_batch
from trygg.parties.models import Party, SoleTrader
from trygg.parties.selectors import ContactDetails, contact_details_read


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


def customer_overview(*, ctx: AuditContext, person: Party) -> Overview:
    """Everything the person's overview shows; each read of personal data is audited (the
    page's reads are appended to the audit log together)."""
    with audit_read_batch():
        return _overview(ctx, person)


def _overview(ctx: AuditContext, person: Party) -> Overview:
    own = person
    prefetch_related_objects([own], "addresses", "contact_methods")
    firms = [
        link.firm
        for link in SoleTrader.objects.filter(person=person)
        .select_related("firm")
        .prefetch_related("firm__addresses", "firm__contact_methods")
        .order_by("firm__customer_number")
    ]
    engagements = [
        Engagement(
            own.pk,
            own.customer_number,
            own.display_name,
            "private",
            contact_details_read(ctx=ctx, party=own),
        )
    ]
    engagements += [
        Engagement(
            firm.pk,
            firm.customer_number,
            firm.display_name,
            "sole_trader",
            contact_details_read(ctx=ctx, party=firm),
        )
        for firm in firms
    ]
    return Overview(
        party_id=own.pk,
        customer_number=own.customer_number,
        name=own.display_name,
        engagements=engagements,
        logins=login_history(ctx=ctx, party=own, limit=10),
        token_to_activate=SecurityToken.objects.filter(party=own, state=TokenState.SENT).exists(),
        policies=[_policy_summary(p) for p in policies_of(ctx=ctx, person=own)],
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
