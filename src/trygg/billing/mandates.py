"""Autogiro mandates: entered from the paper form in the back office or registered online with a
signature; sent to Bankgirot by the daily run; activated, rejected or deleted by Bankgirot's
mandate notices; revoked by the payer, ended by the insurer or the account holder.

The state table is ``rules.MANDATE_TRANSITIONS``, checked in ``_move`` (the one place).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from autogiro.accountnumbers import AccountNumber, AccountNumberError
from trygg.banking.rules import account_number
from trygg.billing import period_rules, rules, states
from trygg.billing.models import (
    Charge,
    ChargeMethod,
    ChargeState,
    Mandate,
    MandateEvent,
    MandatePolicy,
    NoticeKind,
)
from trygg.billing.plans import ocr_for
from trygg.identity.sca import Function
from trygg.identity.signing import SigningRequest, signed_execution, signing_start
from trygg.insurance import rules as insurance_rules
from trygg.insurance.autogiro import AutogiroAccount
from trygg.insurance.models import (
    PaymentMethodChoice,
    PeriodChoice,
    Policy,
    PolicyState,
    PolicyTerm,
)
from trygg.insurance.policies import term_schedule
from trygg.insurance.rules import Period
from trygg.insurance.tariffs import as_rules
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.counters import counter_next
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.idnumbers import IdNumberError
from trygg.kernel.idnumbers import parse as parse_id
from trygg.kernel.models import AuditAction
from trygg.kernel.validation import Problems, clean_text
from trygg.parties.models import Party
from trygg.parties.selectors import accessible_parties

# Nordea's personal accounts: the account number is the holder's personal identity number.
PERSONAL_NUMBER_CLEARINGS = frozenset({"3300", "3782"})

# The kind of signing order of a premium mandate with the insurer (or insurances added to one),
# beside the bank's own autogiro registration with a biller, which signs the same function.
PREMIUM_MANDATE = "premium_mandate"


@dataclass(frozen=True)
class PolicyChoice:
    number: str
    period: str = ""  # empty: the form's period (``MandateInput.period``), else the policy's own
    # "Person-/organisationsnummer (om annat än betalarens)": the policyholder's number when the
    # payer pays someone else's insurance.
    holder_id_number: str = ""


@dataclass(frozen=True)
class MandateInput:
    payer_id_number: str
    account: str  # clearing and account number as written ("8327-9, 123 456 789-0")
    bank: str = ""
    policies: list[PolicyChoice] = field(default_factory=list)
    # "Jag vill betala nedanstående försäkringar via autogiro Månadsvis / Halvårsvis /
    # Helårsvis": the payer's period for every policy listed; empty: each policy's own.
    period: str = ""
    # The day a change of period begins; None: the earliest the schedule allows.
    period_from: dt.date | None = None


@dataclass(frozen=True)
class AttachInput:
    """Policies added to a mandate in force ("senare anmäls av mig")."""

    policies: list[PolicyChoice] = field(default_factory=list)
    period: str = ""
    period_from: dt.date | None = None


@dataclass(frozen=True)
class Chosen:
    """A policy the mandate pays, its period, and the day a new period begins (None: the
    policy keeps its period)."""

    policy: Policy
    period: str
    change_on: dt.date | None = None

    def payload(self) -> list[str]:
        return [
            self.policy.number,
            self.period,
            self.change_on.isoformat() if self.change_on else "",
        ]


@dataclass(frozen=True)
class CheckedMandate:
    payer: Party
    id_number: str
    clearing: str
    account: str
    bank: str
    certain: bool
    policies: list[Chosen]

    def payload(self) -> dict[str, Any]:
        """Every field the mandate is created with: what an online registration signs."""
        return {
            "payer": self.id_number,
            "account": f"{self.clearing}-{self.account}",
            "policies": [c.payload() for c in self.policies],
        }


def _actor(ctx: AuditContext) -> str:
    return ctx.actor_label or ctx.actor_kind


def _event(ctx: AuditContext, mandate: Mandate, state_from: str, note: str = "") -> None:
    MandateEvent.objects.create(
        mandate=mandate,
        at=clock.now(),
        actor=_actor(ctx)[:150],
        state_from=state_from,
        state_to=mandate.state,
        note=note,
    )


def _move(ctx: AuditContext, mandate: Mandate, to: rules.MandateState, note: str = "") -> None:
    """The one place a mandate changes state."""
    state_from = mandate.state
    try:
        states.mandate_move(mandate, to)
    except rules.RuleError as error:
        raise ValidationFailed(
            code=error.code,
            field="state",
            message=_("The mandate is %(state)s and cannot become %(to)s.")
            % {"state": Mandate(state=state_from).get_state_display(), "to": to},
        ) from error
    mandate.save()
    _event(ctx, mandate, state_from, note)
    audit_record(
        ctx=ctx,
        action=AuditAction.UPDATE,
        subject_id=mandate.payer_id,
        object_type="mandate",
        object_id=mandate.pk,
        detail={"state": str(to), "note": note[:200]},
    )


def mandate_check(
    *, data: MandateInput, payer: Party | None = None, paper: bool = False
) -> CheckedMandate:
    """Every rule of the form, each problem naming its field; nothing is written. ``payer`` is
    the signed-in customer online; on paper the payer is found by the number on the form."""
    problems = Problems()
    id_number = None
    try:
        id_number = parse_id(data.payer_id_number or "", country="SE")
    except IdNumberError as error:
        problems.add("payer_id_number", error.code, str(error))
    if id_number is not None and payer is None:
        payer = Party.objects.filter(country="SE", id_number=id_number.value).first()
        if payer is None:
            problems.add(
                "payer_id_number",
                "mandate.payer_unknown",
                _("The payer must be a customer: register the person or company first."),
            )
    elif id_number is not None and payer is not None and payer.id_number != id_number.value:
        problems.add(
            "payer_id_number",
            "mandate.payer_mismatch",
            _("The payer's personal identity number must be your own."),
        )
    account = _account_of(problems, "account", data.account, id_number)
    bank = clean_text(problems, "bank", data.bank, max_length=60, required=False)
    chosen = _check_policies(
        problems,
        data.policies,
        payer=payer,
        period=data.period,
        period_from=data.period_from,
        paper=paper,
    )
    problems.raise_if_any()
    assert payer is not None and id_number is not None and account is not None
    return CheckedMandate(
        payer=payer,
        id_number=id_number.value if len(id_number.value) == 12 else "00" + id_number.value,
        clearing=account.clearing,
        account=account.account,
        bank=bank or account.bank,
        certain=account.certain,
        policies=chosen,
    )


def _account_of(problems: Problems, name: str, text: str, id_number: Any) -> AccountNumber | None:
    """The account a mandate debits, checked by its bank's rule (the own bank's included); a
    Nordea personal account must be the payer's own number. Problems name the field ``name``."""
    account = None
    try:
        account = account_number(text or "")
    except AccountNumberError as error:
        problems.add(name, error.code, error.message)
    if (
        account is not None
        and id_number is not None
        and account.clearing in PERSONAL_NUMBER_CLEARINGS
        and account.account != id_number.value[2:]
    ):
        problems.add(
            name,
            "mandate.account_not_payers",
            _(
                "A Nordea personal account (clearing %(clearing)s) is the holder's personal "
                "identity number; this one belongs to someone else than the payer. The "
                "account holder, the account and the personal identity number must belong "
                "to the same person."
            )
            % {"clearing": account.clearing},
        )
    return account


# -- the policies a mandate pays, and their period -------------------------------------------

# A charge whose period is collected: debited or ordered, stopped or refunded, or on an invoice.
_COLLECTED = [
    ChargeState.ORDERED,
    ChargeState.RETRYING,
    ChargeState.PAID,
    ChargeState.FAILED,
    ChargeState.CARRIED,
    ChargeState.STOPPED,
    ChargeState.REFUNDED,
]


def _schedule_terms(policy: Policy, today: dt.date) -> list[period_rules.Term]:
    return [
        period_rules.Term(
            starts_on=term.starts_on,
            ends_on=term.ends_on,
            period_starts=tuple(i.period_start for i in term_schedule(term)),
        )
        for term in policy.terms.filter(ends_on__gt=today).order_by("starts_on")
    ]


def _collected_periods(policy: Policy) -> list[dt.date]:
    return list(
        Charge.objects.filter(policy=policy)
        .filter(Q(state__in=_COLLECTED) | Q(notice__kind=NoticeKind.INVOICE))
        .exclude(state=ChargeState.CANCELLED)
        .values_list("period_start", flat=True)
    )


def period_change_day(
    *, policy: Policy, period: str, wanted: dt.date | None = None, today: dt.date | None = None
) -> dt.date:
    """The day ``policy``'s new payment period can begin (``period_rules``); a ``wanted`` day
    the schedule does not allow raises ``PeriodRuleError`` naming the day it needed."""
    return period_rules.change_day(
        terms=_schedule_terms(policy, today or clock.today()),
        months=Period(period).months,
        today=today or clock.today(),
        collected=_collected_periods(policy),
        wanted=wanted,
    )


def _period_problem(error: period_rules.PeriodRuleError, policy: Policy, wanted: dt.date) -> str:
    if error.code == "period.collected":
        return _(
            "Insurance %(number)s: the premium of the period %(wanted)s lies in is already "
            "collected, so the new payment period can begin at the earliest on %(needed)s."
        ) % {"number": policy.number, "wanted": wanted, "needed": error.needed}
    return _(
        "Insurance %(number)s: a new payment period begins at the start of a period and fills "
        "the rest of the insurance year with whole periods; the next such day is %(needed)s."
    ) % {"number": policy.number, "needed": error.needed}


def _may_pay(payer: Party | None, policy: Policy, holder_number: str, *, paper: bool) -> bool:
    """The payer pays their own insurances; another holder's where the form names the holder
    ("om annat än betalarens"): on paper any holder (the form is signed and kept), online one
    the payer acts for (a firm)."""
    if payer is None or policy.policyholder_id == payer.pk:
        return True
    if not holder_number:
        return False
    try:
        number = parse_id(holder_number, country="SE").value
    except IdNumberError:
        return False
    if policy.policyholder.id_number != number:
        return False
    if paper:
        return True
    return policy.policyholder_id in {p.pk for p in accessible_parties(payer)}


def _check_policies(
    problems: Problems,
    choices: list[PolicyChoice],
    *,
    payer: Party | None,
    period: str,
    period_from: dt.date | None,
    paper: bool,
) -> list[Chosen]:
    """Every policy listed: the payer may pay it, it is in force and on no other open mandate;
    its period is the payer's choice, a new one from a day the schedule allows."""
    if period and period not in PeriodChoice.values:
        problems.add(
            "period", "mandate.period", _("Choose monthly, half-yearly or yearly payment.")
        )
        period = ""
    if not choices:
        problems.add("policies", "mandate.no_policy", _("Name at least one insurance to pay."))
    chosen: list[Chosen] = []
    today = clock.today()
    for index, choice in enumerate(choices):
        where = f"policies.{index}"
        policy = (
            Policy.objects.select_related("policyholder")
            .filter(number=(choice.number or "").strip())
            .first()
        )
        if policy is None or not _may_pay(
            payer, policy, (choice.holder_id_number or "").strip(), paper=paper
        ):
            problems.add(
                f"{where}.number",
                "mandate.policy_unknown",
                _(
                    "No insurance %(number)s held by the payer, or by the person whose number "
                    "is written beside it."
                )
                % {"number": choice.number},
            )
            continue
        if policy.state != PolicyState.ACTIVE:
            problems.add(
                f"{where}.number",
                "mandate.policy_not_active",
                _("Insurance %(number)s is no longer in force.") % {"number": policy.number},
            )
            continue
        if MandatePolicy.objects.filter(
            policy=policy,
            detached_on__isnull=True,
            mandate__state__in=rules.OPEN_MANDATE_STATES,
        ).exists():
            problems.add(
                f"{where}.number",
                "mandate.policy_has_mandate",
                _("Insurance %(number)s is already paid by autogiro.") % {"number": policy.number},
            )
            continue
        wanted_period = choice.period or period or policy.period
        if wanted_period not in PeriodChoice.values:
            problems.add(
                f"{where}.period",
                "mandate.period",
                _("Choose monthly, half-yearly or yearly payment."),
            )
            continue
        if wanted_period == policy.period:
            chosen.append(Chosen(policy, wanted_period))
            continue
        try:
            day = period_change_day(
                policy=policy, period=wanted_period, wanted=period_from, today=today
            )
        except period_rules.PeriodRuleError as error:
            assert period_from is not None
            problems.add("period_from", error.code, _period_problem(error, policy, period_from))
            continue
        chosen.append(Chosen(policy, wanted_period, day))
    return chosen


def policy_period_change(*, policy: Policy, period: str, on: dt.date) -> None:
    """The one call that rebuilds a policy's premium schedule for a new payment period from
    ``on`` (a day ``period_change_day`` allows): every term still running on ``on`` is written
    again from that day with the new period and its surcharge (the term's tariff, price base
    amount and end stay), the term before it ends there. The next run cancels the charges the
    new terms replace, plans theirs and sends the payer a new payment plan."""
    locked = Policy.objects.select_for_update().get(pk=policy.pk)
    for term in list(locked.terms.filter(ends_on__gt=on).order_by("starts_on")):
        end = term.ends_on
        first = max(term.starts_on, on)
        if term.starts_on < on:
            term.ends_on = on
            term.save(update_fields=["ends_on"])
        else:
            term.delete()
        _annual, total, _parts = insurance_rules.price(
            as_rules(term.tariff), locked.level, Period(period)
        )
        PolicyTerm.objects.create(
            policy=locked,
            starts_on=first,
            ends_on=end,
            tariff=term.tariff,
            pbb_year=term.pbb_year,
            pbb=term.pbb,
            base_amount=term.base_amount,
            annual_price=term.annual_price,
            year_total=total,
            period=period,
        )
    locked.period = period
    locked.save(update_fields=["period"])
    policy.period = period


def _policies_text(chosen: list[Chosen]) -> str:
    parts = []
    for c in chosen:
        label = PeriodChoice(c.period).label.lower()
        if c.change_on:
            parts.append(
                _("%(number)s (%(period)s from %(day)s)")
                % {"number": c.policy.number, "period": label, "day": c.change_on.isoformat()}
            )
        else:
            parts.append(f"{c.policy.number} ({label})")
    return ", ".join(parts)


def _attach(ctx: AuditContext, mandate: Mandate, chosen: list[Chosen]) -> None:
    """The policies go on the mandate with their period; a new period rebuilds the schedule."""
    today = clock.today()
    MandatePolicy.objects.bulk_create(
        MandatePolicy(mandate=mandate, policy=c.policy, period=c.period, attached_on=today)
        for c in chosen
    )
    for c in chosen:
        if c.change_on is not None:
            policy_period_change(policy=c.policy, period=c.period, on=c.change_on)
            audit_record(
                ctx=ctx,
                action=AuditAction.UPDATE,
                subject_id=c.policy.policyholder_id,
                object_type="policy",
                object_id=c.policy.pk,
                detail={"period": c.period, "from": c.change_on.isoformat()},
            )


def _create(
    ctx: AuditContext, checked: CheckedMandate, *, channel: str, signing_id: str = ""
) -> Mandate:
    today = clock.today()
    mandate = Mandate.objects.create(
        payer_number=str(counter_next(name="payer_number", start=5000001)),
        payer=checked.payer,
        id_number=checked.id_number,
        clearing=checked.clearing,
        account=checked.account,
        bank=checked.bank,
        account_certain=checked.certain,
        state=rules.MandateState.REQUESTED,
        channel=channel,
        signing_id=signing_id,
        requested_on=today,
        created_at=clock.now(),
    )
    note = "" if checked.certain else _("The account number could not be fully checked.")
    _event(ctx, mandate, "", note)
    audit_record(
        ctx=ctx,
        action=AuditAction.CREATE,
        subject_id=checked.payer.pk,
        object_type="mandate",
        object_id=mandate.pk,
        detail={"channel": channel, "policies": [c.policy.number for c in checked.policies]},
    )
    _attach(ctx, mandate, checked.policies)
    return mandate


def mandate_register(*, ctx: AuditContext, data: MandateInput) -> Mandate:
    """A paper application entered in the back office."""
    with transaction.atomic():
        checked = mandate_check(data=data, paper=True)
        return _create(ctx, checked, channel="paper")


def _summary(checked: CheckedMandate) -> str:
    return _(
        "Autogiro: %(company)s may debit account %(account)s for the premiums of %(policies)s"
    ) % {
        "company": "trygg",
        "account": f"{checked.clearing}-{checked.account}",
        "policies": _policies_text(checked.policies),
    }


def mandate_sign_start(*, ctx: AuditContext, person: Party, data: MandateInput) -> Any:
    """Online registration: the customer signs the mandate (token or BankID)."""
    checked = mandate_check(data=data, payer=person)
    return signing_start(
        ctx=ctx,
        signer=person,
        acting_for=person,
        request=SigningRequest(
            function=Function.AUTOGIRO_REGISTER,
            kind=PREMIUM_MANDATE,
            payload=checked.payload(),
            summary=_summary(checked),
            amount_minor=0,
            payee=f"mandate:{checked.clearing}{checked.account}",
        ),
    )


def mandate_register_online(
    *, ctx: AuditContext, person: Party, signing_id: str, data: MandateInput
) -> Mandate:
    checked = mandate_check(data=data, payer=person)
    with signed_execution(
        ctx=ctx,
        public_id=signing_id,
        signer=person,
        function=Function.AUTOGIRO_REGISTER,
        payload=checked.payload(),
    ):
        return _create(ctx, checked, channel="web", signing_id=signing_id)


# -- Bankgirot's answers -----------------------------------------------------------------------

CREATED = "32"
# Comment codes of a mandate deleted (by the payer, the bank or Bankgirot) or refused.
DELETED = frozenset({"01", "02", "06", "07", "33", "98"})
_CLOSED = frozenset(
    {rules.MandateState.REVOKED, rules.MandateState.ENDED, rules.MandateState.REJECTED}
)


def mandate_notice_apply(
    *, ctx: AuditContext, payer_number: str, comment_code: str, comment: str, valid_from: dt.date
) -> Mandate | None:
    """Apply one mandate notice (TK73); None when no mandate has this payer number."""
    mandate = Mandate.objects.select_for_update().filter(payer_number=payer_number).first()
    if mandate is None:
        return None
    mandate.bgc_comment_code = comment_code
    mandate.bgc_comment = comment[:200]
    note = f"{comment_code} {comment}"
    if comment_code != CREATED and mandate.state in _CLOSED:
        # Bankgirot confirms a deletion asked for, or (04) no longer knows the mandate: the
        # mandate stays as it ended here.
        mandate.deletion_due = None
        mandate.save()
        return mandate
    if comment_code == CREATED:
        if mandate.state == rules.MandateState.ACTIVE:
            mandate.save()
            return mandate
        mandate.active_from = valid_from
        _move(ctx, mandate, rules.MandateState.ACTIVE, note)
    elif comment_code in DELETED:
        mandate.ended_on = valid_from
        mandate.end_reason = comment[:200]
        _move(ctx, mandate, rules.MandateState.ENDED, note)
        _orders_to_invoice(mandate, from_due=valid_from)
    else:
        _move(ctx, mandate, rules.MandateState.REJECTED, note)
    return mandate


def _orders_to_invoice(mandate: Mandate, *, from_due: dt.date) -> None:
    """Bankgirot drops the pending debits of a deleted mandate; those premiums are invoiced (the
    insurance stays valid). Planned ones are invoiced by the next run."""
    for charge in Charge.objects.filter(
        mandate=mandate, state=ChargeState.ORDERED, due_date__gte=from_due
    ):
        states.charge_move(
            charge,
            ChargeState.INVOICED,
            method=ChargeMethod.INVOICE,
            ocr=ocr_for(charge.reference),
            notice=None,
        )


# -- the payer and the insurer end it ----------------------------------------------------------


def _open_mandate_of(person: Party, mandate_id: int) -> Mandate:
    mandate = Mandate.objects.select_for_update().filter(pk=mandate_id, payer=person).first()
    if mandate is None:
        raise NotFound(_("No such autogiro mandate among yours."), code="mandate.not_found")
    return mandate


def mandate_revoke(*, ctx: AuditContext, person: Party, mandate_id: int) -> Mandate:
    """The payer revokes the mandate. It reaches the insurer today: debits due at least 5 bank
    days later are not made; earlier ones still are (the deadline is told)."""
    today = clock.today()
    with transaction.atomic():
        mandate = _open_mandate_of(person, mandate_id)
        open_charges = list(
            Charge.objects.select_for_update().filter(
                mandate=mandate, state=ChargeState.PLANNED, due_date__gte=today
            )
        )
        first_stopped = rules.revocation_effect(
            today=today, next_dues=[c.due_date for c in open_charges]
        )
        last_made = [c for c in open_charges if first_stopped is None or c.due_date < first_stopped]
        note = ""
        if last_made:
            note = _(
                "The debit of %(due)s is still made: a revocation must reach us 5 bank days "
                "before the due date (by %(deadline)s)."
            ) % {
                "due": last_made[-1].due_date.isoformat(),
                "deadline": rules.revoke_deadline(last_made[-1].due_date).last_day.isoformat(),
            }
        mandate.ended_on = max([c.due_date for c in last_made], default=today)
        mandate.end_reason = _("Revoked by the payer.")
        mandate.deletion_due = mandate.ended_on if mandate.state != "requested" else None
        _move(ctx, mandate, rules.MandateState.REVOKED, note)
        MandatePolicy.objects.filter(mandate=mandate, detached_on__isnull=True).update(
            detached_on=mandate.ended_on
        )
    return mandate


Terminator = rules.Terminator


def _termination_problem(error: rules.RuleError, by: rules.Terminator) -> ValidationFailed:
    if error.code == "termination.not_due_date":
        message = _(
            "The autogiro agreement ends on a due date, the first bank day of a month "
            "(§ 3): for this month %(due)s."
        ) % {"due": error.params["due"]}
    elif by == rules.Terminator.HOLDER:
        message = _(
            "The account holder terminates at least one month before the due date on which "
            "the agreement ends (§ 3): to end on this date, the notice had to reach us by "
            "%(deadline)s. The earliest end now is %(earliest)s."
        ) % {"deadline": error.params["deadline"], "earliest": error.params["earliest"]}
    else:
        message = _(
            "The insurer terminates at least three months before the due date on which the "
            "agreement ends (§ 3): to end on this date, the payer had to be told by "
            "%(deadline)s. The earliest end now is %(earliest)s."
        ) % {"deadline": error.params["deadline"], "earliest": error.params["earliest"]}
    return ValidationFailed(code=error.code, field="ends_on", message=message)


def mandate_terminate(
    *,
    ctx: AuditContext,
    mandate_id: int,
    by: str,
    reason: str,
    at_once: bool = False,
    ends_on: dt.date | None = None,
) -> Mandate:
    """End the autogiro agreement (§ 3) on a due date: by the account holder at least one month,
    by the insurer at least three months before it (``ends_on``; the earliest possible when not
    given). The insurer ends it at once after repeated failures, a closed account, or when the
    payer should not use autogiro. The due date's premium and later ones are invoiced under the
    insurance contract; earlier debits are still made."""
    today = clock.today()
    problems = Problems()
    text = clean_text(problems, "reason", reason, max_length=200)
    if by not in (Terminator.INSURER, Terminator.HOLDER):
        problems.add("by", "mandate.terminator", _("Choose the insurer or the account holder."))
    if at_once and by == Terminator.HOLDER:
        problems.add(
            "at_once",
            "mandate.holder_notice",
            _("The account holder gives at least one month's notice."),
        )
    problems.raise_if_any()
    terminator = rules.Terminator(by)
    if at_once:
        last_day = today
    else:
        end = ends_on or rules.termination_earliest_end(today, terminator)
        try:
            rules.check_termination(today=today, end=end, by=terminator)
        except rules.RuleError as error:
            raise _termination_problem(error, terminator) from error
        last_day = rules.last_autogiro_day(end)
    with transaction.atomic():
        mandate = Mandate.objects.select_for_update().filter(pk=mandate_id).first()
        if mandate is None:
            raise NotFound(_("No such autogiro mandate."), code="mandate.not_found")
        if at_once and mandate.failures_in_row < rules.REPEATED_FAILURES and not text:
            raise ValidationFailed(
                code="mandate.at_once_reason",
                field="reason",
                message=_("Ending at once needs a reason."),
            )
        mandate.ended_on = last_day
        mandate.end_reason = text
        mandate.deletion_due = last_day if mandate.state != "requested" else None
        _move(ctx, mandate, rules.MandateState.ENDED, text)
        MandatePolicy.objects.filter(mandate=mandate, detached_on__isnull=True).update(
            detached_on=last_day
        )
    return mandate


def mandates_of(*, ctx: AuditContext, person: Party) -> list[Mandate]:
    mandates = list(
        Mandate.objects.filter(payer=person).prefetch_related("policies__policy").order_by("-id")
    )
    if mandates:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=person.pk,
            object_type="mandate",
            detail={"count": len(mandates)},
        )
    return mandates


# -- policies added later ("försäkringar som här antecknats eller senare anmäls av mig") ------


def _open_mandate(mandate_id: int, payer: Party | None = None) -> Mandate:
    """The mandate (the payer's own when ``payer`` is given), locked; it must be in force or on
    its way to Bankgirot."""
    mandates = Mandate.objects.select_for_update().filter(pk=mandate_id)
    if payer is not None:
        mandates = mandates.filter(payer=payer)
    mandate = mandates.select_related("payer").first()
    if mandate is None:
        raise NotFound(_("No such autogiro mandate among yours."), code="mandate.not_found")
    if not mandate.is_open:
        raise ValidationFailed(
            code="mandate.not_open",
            field="mandate",
            message=_("The mandate is %(state)s: no insurance can be added to it.")
            % {"state": mandate.get_state_display().lower()},
        )
    return mandate


def _added(mandate: Mandate, data: AttachInput, *, paper: bool) -> list[Chosen]:
    problems = Problems()
    chosen = _check_policies(
        problems,
        data.policies,
        payer=mandate.payer,
        period=data.period,
        period_from=data.period_from,
        paper=paper,
    )
    problems.raise_if_any()
    return chosen


def _record_added(ctx: AuditContext, mandate: Mandate, chosen: list[Chosen]) -> None:
    _attach(ctx, mandate, chosen)
    _event(
        ctx,
        mandate,
        mandate.state,
        _("Insurances added: %(policies)s") % {"policies": _policies_text(chosen)},
    )
    audit_record(
        ctx=ctx,
        action=AuditAction.UPDATE,
        subject_id=mandate.payer_id,
        object_type="mandate",
        object_id=mandate.pk,
        detail={"added": [c.policy.number for c in chosen]},
    )


def mandate_add(*, ctx: AuditContext, mandate_id: int, data: AttachInput) -> Mandate:
    """The payer's later notice on paper, entered in the back office: the insurances go on the
    mandate with the period chosen (a new period rebuilds the schedule)."""
    with transaction.atomic():
        mandate = _open_mandate(mandate_id)
        _record_added(ctx, mandate, _added(mandate, data, paper=True))
    return mandate


def _online_addition(
    person: Party, mandate_id: int, data: AttachInput
) -> tuple[Mandate, list[Chosen], dict[str, Any]]:
    """The payer's own open mandate (locked), the policies checked, and what is signed."""
    mandate = _open_mandate(mandate_id, person)
    chosen = _added(mandate, data, paper=False)
    payload = {"mandate": mandate.payer_number, "policies": [c.payload() for c in chosen]}
    return mandate, chosen, payload


def mandate_add_sign_start(
    *, ctx: AuditContext, person: Party, mandate_id: int, data: AttachInput
) -> Any:
    """Online, the payer adds insurances to their mandate and signs it (token or BankID)."""
    with transaction.atomic():
        mandate, chosen, payload = _online_addition(person, mandate_id, data)
    return signing_start(
        ctx=ctx,
        signer=person,
        acting_for=person,
        request=SigningRequest(
            function=Function.AUTOGIRO_REGISTER,
            kind=PREMIUM_MANDATE,
            payload=payload,
            summary=_(
                "Autogiro: %(company)s may also debit account %(account)s for the premiums of "
                "%(policies)s"
            )
            % {
                "company": "trygg",
                "account": f"{mandate.clearing}-{mandate.account}",
                "policies": _policies_text(chosen),
            },
            amount_minor=0,
            payee=f"mandate:{mandate.clearing}{mandate.account}",
        ),
    )


def mandate_add_online(
    *, ctx: AuditContext, person: Party, mandate_id: int, signing_id: str, data: AttachInput
) -> Mandate:
    with transaction.atomic():
        mandate, chosen, payload = _online_addition(person, mandate_id, data)
        with signed_execution(
            ctx=ctx,
            public_id=signing_id,
            signer=person,
            function=Function.AUTOGIRO_REGISTER,
            payload=payload,
        ):
            _record_added(ctx, mandate, chosen)
    return mandate


def open_mandate_of(payer: Party) -> Mandate | None:
    """The payer's mandate that new insurances are paid with: the active one, else the one on
    its way to Bankgirot (the newest)."""
    mandates = Mandate.objects.filter(payer=payer, state__in=rules.OPEN_MANDATE_STATES)
    return (
        mandates.filter(state=rules.MandateState.ACTIVE).order_by("-id").first()
        or mandates.order_by("-id").first()
    )


def policies_attach_existing(*, ctx: AuditContext, on: dt.date) -> int:
    """Insurances applied for with "betala med befintligt autogiro per Månad / Halvår / Helår"
    go on the policyholder's mandate with the period of the application (the policy's), before
    the run plans their premiums. One never on a mandate whose holder has none open is invoiced
    (the application's check makes that rare)."""
    waiting = (
        Policy.objects.filter(
            state=PolicyState.ACTIVE, payment_method=PaymentMethodChoice.EXISTING_AUTOGIRO
        )
        .filter(~Exists(MandatePolicy.objects.filter(policy=OuterRef("pk"))))
        .select_related("policyholder")
        .order_by("pk")
    )
    attached = 0
    for policy in waiting:
        mandate = open_mandate_of(policy.policyholder)
        if mandate is None:
            continue
        MandatePolicy.objects.create(
            mandate=mandate, policy=policy, period=policy.period, attached_on=on
        )
        _event(
            ctx,
            mandate,
            mandate.state,
            _("Insurances added: %(policies)s")
            % {"policies": _policies_text([Chosen(policy, policy.period)])},
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=mandate.payer_id,
            object_type="mandate",
            object_id=mandate.pk,
            detail={"added": [policy.number], "application": True},
        )
        attached += 1
    return attached


# -- an insurance applied for with autogiro (decision 0097) ------------------------------------


def application_account_check(payer_id_number: str, text: str) -> AutogiroAccount:
    """The account an application paid by a new autogiro names, checked as a mandate's account
    (``mandate_check``); refusals name the application's field ``autogiro_account``."""
    problems = Problems()
    try:
        id_number = parse_id(payer_id_number, country="SE")
    except IdNumberError:
        id_number = None  # the payer is the signed-in customer: their number was checked
    account = _account_of(problems, "autogiro_account", text, id_number)
    problems.raise_if_any()
    assert account is not None
    return AutogiroAccount(
        clearing=account.clearing,
        account=account.account,
        bank=account.bank,
        certain=account.certain,
    )


def mandate_from_application(ctx: AuditContext, policy: Policy, application: Any) -> None:
    """The policy of an application paid by a new autogiro is issued: the mandate of the account
    the application names is created (signed with the application online, on paper with its
    signature), or the policy goes on the payer's open mandate of that same account. A policy
    already on an open mandate stays there."""
    if MandatePolicy.objects.filter(
        policy=policy, detached_on__isnull=True, mandate__state__in=rules.OPEN_MANDATE_STATES
    ).exists():
        return
    payer = policy.policyholder
    chosen = [Chosen(policy, policy.period)]
    same = (
        Mandate.objects.select_for_update()
        .filter(
            payer=payer,
            state__in=rules.OPEN_MANDATE_STATES,
            clearing=application.autogiro_clearing,
            account=application.autogiro_account,
        )
        .order_by("-id")
        .first()
    )
    if same is not None:
        _record_added(ctx, same, chosen)
        return
    checked = mandate_check(
        data=MandateInput(
            payer_id_number=payer.id_number,
            account=f"{application.autogiro_clearing}-{application.autogiro_account}",
            bank=application.autogiro_bank,
            policies=[PolicyChoice(policy.number)],
        ),
        payer=payer,
    )
    online = application.channel == "web"
    _create(
        ctx,
        checked,
        channel="web" if online else "paper",
        signing_id=application.signing_id if online else "",
    )
