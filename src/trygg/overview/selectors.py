"""The overview: the person's own and their firms' engagements, contact details and log-ins."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, TruncDate
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from trygg.banking.models import Account
from trygg.billing.models import Charge, ChargeMethod, ChargeState, Notice, NoticeKind
from trygg.claims.models import Claim, ClaimState
from trygg.identity.selectors import LoginLine, login_lines, token_to_activate
from trygg.insurance.models import Policy
from trygg.insurance.policies import current_term
from trygg.insurance.selectors import policies_of
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_read_batch, audit_record
from trygg.kernel.models import AuditAction
from trygg.kernel.statements import PreparedRows
from trygg.parties.models import Letter, LetterState, Party
from trygg.parties.selectors import (
    ContactDetails,
    accessible_parties,
    engagement_contact_details,
)
from trygg.protection.report_letters import PURPOSE as REPORT_PURPOSE


@dataclass(frozen=True)
class AccountLine:
    pk: int
    name: str
    number: str
    balance: Decimal


@dataclass(frozen=True)
class DebitLine:
    """A premium to be paid: by autogiro (a debit) or by invoice (a payment with OCR)."""

    due_date: dt.date
    policy_number: str
    amount: Decimal
    method: str
    method_label: str
    state_label: str
    ocr: str


@dataclass(frozen=True)
class Engagement:
    party_id: int
    customer_number: str
    name: str
    relation: str  # "private" or "sole_trader"
    contact: ContactDetails
    accounts: list[AccountLine] = field(default_factory=list)
    debits: list[DebitLine] = field(default_factory=list)

    @property
    def total_balance(self) -> Decimal:
        return sum((a.balance for a in self.accounts), Decimal(0))


@dataclass(frozen=True)
class ClaimLine:
    number: str
    policy_number: str
    state_label: str
    reported_on: dt.date


@dataclass(frozen=True)
class LetterLine:
    """One letter or document in the customer's inbox. ``kind`` says where it is opened:
    ``notice`` (a payment plan or invoice, by id), ``policy`` (the policy letter, by policy
    number), ``claim`` (a claim decision, by claim number), ``report`` (a blocking report, by
    call number) or ``post`` (a letter sent by post only, with no copy kept here)."""

    kind: str
    key: str
    sent_on: dt.date
    title: str


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
    logins: list[LoginLine]
    token_to_activate: bool = False
    policies: list[PolicySummary] = field(default_factory=list)
    claims: list[ClaimLine] = field(default_factory=list)
    letters: list[LetterLine] = field(default_factory=list)


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
    contacts = engagement_contact_details(ctx=ctx, person=person)
    party_ids = [contact.party_id for contact in contacts]
    accounts = _accounts(ctx, person, party_ids)
    debits = _next_debits(ctx, person, party_ids)
    engagements = [
        Engagement(
            contact.party_id,
            contact.customer_number,
            contact.name,
            "private" if contact.party_id == person.pk else "sole_trader",
            contact,
            accounts.get(contact.party_id, []),
            debits.get(contact.party_id, []),
        )
        for contact in contacts
    ]
    return Overview(
        party_id=person.pk,
        customer_number=person.customer_number,
        name=person.display_name,
        engagements=engagements,
        logins=login_lines(ctx=ctx, party=person, limit=10),
        token_to_activate=token_to_activate(person),
        policies=[_policy_summary(p) for p in policies_of(ctx=ctx, person=person)],
        claims=_claims_in_progress(ctx, person, party_ids),
        letters=_letters(ctx, person, party_ids, limit=OVERVIEW_LETTERS),
    )


OVERVIEW_LETTERS = 5
NEXT_DEBITS = 5
_DEBIT_STATES = (ChargeState.PLANNED, ChargeState.ORDERED, ChargeState.RETRYING)

# The page's reads of money, claims and letters, each compiled once (per number of parties:
# the person and the firms they act for) and run as one statement with the keys bound.
_ACCOUNTS = PreparedRows(
    lambda *party_ids: (
        Account.objects.filter(party_id__in=party_ids)
        .order_by("party_id", "number")
        .values_list("pk", "party_id", "name", "number", "balance")
    )
)
_NEXT_CHARGES = PreparedRows(
    lambda today, *party_ids, limit: (
        Charge.objects.filter(payer_id__in=party_ids, due_date__gte=today, state__in=_DEBIT_STATES)
        .order_by("due_date", "pk")
        .values_list(
            "pk", "payer_id", "due_date", "policy__number", "amount", "method", "state", "ocr"
        )[:limit]
    )
)
_CLAIMS_IN_PROGRESS = PreparedRows(
    lambda *party_ids: (
        Claim.objects.filter(
            Q(policy__policyholder_id__in=party_ids) | Q(policy__insured_id__in=party_ids),
            state__in=(ClaimState.REPORTED, ClaimState.DECIDED),
        )
        .order_by("-reported_at")
        .values_list("pk", "number", "policy__number", "state", "reported_at")[:20]
    )
)
_CHARGE_METHODS = dict(ChargeMethod.choices)
_CHARGE_STATES = dict(ChargeState.choices)
_CLAIM_STATES = dict(ClaimState.choices)


def _accounts(
    ctx: AuditContext, person: Party, party_ids: list[int]
) -> dict[int, list[AccountLine]]:
    """The accounts of the person and their firms with balances, by party, in one statement;
    each party's accounts an audited read (as the account pages record them)."""
    accounts: dict[int, list[AccountLine]] = {}
    for pk, party_id, name, number, balance in _ACCOUNTS(*party_ids):
        accounts.setdefault(party_id, []).append(AccountLine(pk, name, number, balance))
    for party_id in accounts:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=person.pk,
            object_type="accounts",
            object_id=party_id,
        )
    return accounts


def _next_debits(
    ctx: AuditContext, person: Party, party_ids: list[int]
) -> dict[int, list[DebitLine]]:
    """The next premiums to be paid by the person and their firms (autogiro debits and
    invoices, from today on, at most ``NEXT_DEBITS`` each), by payer, in one statement."""
    rows = _NEXT_CHARGES(clock.today(), *party_ids, limit=NEXT_DEBITS * len(party_ids))
    debits: dict[int, list[DebitLine]] = {}
    for _pk, payer_id, due_date, policy_number, amount, method, state, ocr in rows:
        lines = debits.setdefault(payer_id, [])
        if len(lines) < NEXT_DEBITS:
            lines.append(
                DebitLine(
                    due_date,
                    policy_number,
                    amount,
                    method,
                    str(_CHARGE_METHODS.get(method, method)),
                    str(_CHARGE_STATES.get(state, state)),
                    ocr,
                )
            )
    if rows:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=person.pk,
            object_type="charge",
            detail={"next": [row[0] for row in rows]},
        )
    return debits


def _claims_in_progress(ctx: AuditContext, person: Party, party_ids: list[int]) -> list[ClaimLine]:
    """Claims reported but not yet paid or rejected, on the policies the person or their firms
    hold or are insured by."""
    rows = _CLAIMS_IN_PROGRESS(*party_ids)
    if rows:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=person.pk,
            object_type="claim",
            object_id=",".join(str(row[0]) for row in rows),
        )
    return [
        ClaimLine(number, policy_number, str(_CLAIM_STATES.get(state, state)), localdate(reported))
        for _pk, number, policy_number, state, reported in rows
    ]


def letters_inbox(*, ctx: AuditContext, person: Party) -> list[LetterLine]:
    """Every letter and document the person (and their firms) have been sent, newest first:
    payment plans and invoices, policy letters, claim decisions and letters by post."""
    party_ids = [p.pk for p in customer_self(ctx=ctx, person=person)]
    with audit_read_batch():
        return _letters(ctx, person, party_ids, limit=None)


_LETTER_COLUMNS = ("l_kind", "l_key", "l_day", "l_detail", "l_purpose")


def _inbox(person_id: int, *party_ids: int, limit: int | None) -> Any:
    """The inbox as a UNION of the notices, policies, decided claims and letters by post, each
    as (kind, key, date, detail, purpose), newest first."""
    text = CharField()

    def row(kind: str, key: object, day: object, detail: object, purpose: object) -> Any:
        return {
            "l_kind": Value(kind, output_field=text),
            "l_key": key,
            "l_day": day,
            "l_detail": detail,
            "l_purpose": purpose,
        }

    notices = Notice.objects.filter(payer_id=person_id).annotate(
        **row("notice", Cast("pk", text), F("sent_on"), F("kind"), Value("", output_field=text))
    )
    policies = Policy.objects.filter(
        Q(policyholder_id=person_id) | Q(insured_id=person_id)
    ).annotate(
        **row(
            "policy",
            F("number"),
            TruncDate("created_at"),
            Value("", output_field=text),
            Value("", output_field=text),
        )
    )
    claims = (
        Claim.objects.filter(
            Q(policy__policyholder_id__in=party_ids) | Q(policy__insured_id__in=party_ids),
            decided_at__isnull=False,
        )
        .exclude(state=ClaimState.REPORTED)
        .annotate(
            **row(
                "claim",
                F("number"),
                TruncDate("decided_at"),
                F("policy__number"),
                Value("", output_field=text),
            )
        )
    )
    posted = (
        Letter.objects.filter(party_id__in=party_ids)
        .exclude(state=LetterState.CANCELLED)
        .annotate(**row("post", F("reference"), TruncDate("created_at"), F("title"), F("purpose")))
    )
    # The column names are the annotations of ``row``, which the type stubs cannot follow.
    parts: list[Any] = [
        q.order_by().values_list(*_LETTER_COLUMNS) for q in (notices, policies, claims, posted)
    ]
    union = parts[0].union(*parts[1:], all=True).order_by("-l_day", "l_kind", "-l_key")
    return union[:limit] if limit else union


_INBOX = PreparedRows(_inbox)


def _letters(
    ctx: AuditContext, person: Party, party_ids: list[int], *, limit: int | None
) -> list[LetterLine]:
    """The inbox in one statement (``_inbox``), newest first, at most ``limit`` letters."""
    rows = _INBOX(person.pk, *party_ids, limit=limit)
    if rows:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=person.pk,
            object_type="letters",
            detail={"letters": [f"{r[0]}:{r[1]}" for r in rows[:50]]},
        )
    return [_letter_line(*r) for r in rows]


_NOTICE_KINDS = dict(NoticeKind.choices)


def _letter_line(kind: str, key: str, day: dt.date, detail: str, purpose: str) -> LetterLine:
    if kind == "notice":
        title = str(_NOTICE_KINDS.get(detail, detail))
    elif kind == "policy":
        title = _("Policy letter for insurance %(number)s") % {"number": key}
    elif kind == "claim":
        title = _("Decision on claim %(number)s") % {"number": key}
    else:
        title = detail
        if purpose == REPORT_PURPOSE:
            kind = "report"
    return LetterLine(kind, key, day, title)


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
