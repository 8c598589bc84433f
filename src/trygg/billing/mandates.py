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
from django.utils.translation import gettext as _

from autogiro.accountnumbers import AccountNumberError, parse_account
from trygg.billing import rules
from trygg.billing.models import (
    Charge,
    ChargeMethod,
    ChargeState,
    Mandate,
    MandateEvent,
    MandatePolicy,
)
from trygg.billing.plans import ocr_for
from trygg.identity.sca import Function
from trygg.identity.signing import SigningRequest, signed_execution, signing_start
from trygg.insurance.models import Policy, PolicyState
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.counters import counter_next
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.idnumbers import IdNumberError
from trygg.kernel.idnumbers import parse as parse_id
from trygg.kernel.models import AuditAction
from trygg.kernel.validation import Problems, clean_text
from trygg.parties.models import Party

# Nordea's personal accounts: the account number is the holder's personal identity number.
PERSONAL_NUMBER_CLEARINGS = frozenset({"3300", "3782"})


@dataclass(frozen=True)
class PolicyChoice:
    number: str
    period: str = ""  # empty: the policy's own payment period


@dataclass(frozen=True)
class MandateInput:
    payer_id_number: str
    account: str  # clearing and account number as written ("8327-9, 123 456 789-0")
    bank: str = ""
    policies: list[PolicyChoice] = field(default_factory=list)


@dataclass(frozen=True)
class CheckedMandate:
    payer: Party
    id_number: str
    clearing: str
    account: str
    bank: str
    certain: bool
    policies: list[tuple[Policy, str]]

    def payload(self) -> dict[str, Any]:
        """Every field the mandate is created with: what an online registration signs."""
        return {
            "payer": self.id_number,
            "account": f"{self.clearing}-{self.account}",
            "policies": [[p.number, period] for p, period in self.policies],
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
    try:
        rules.check_move(rules.MANDATE_TRANSITIONS, mandate.state, to, "mandate")
    except rules.RuleError as error:
        raise ValidationFailed(
            code=error.code,
            field="state",
            message=_("The mandate is %(state)s and cannot become %(to)s.")
            % {"state": mandate.get_state_display(), "to": to},
        ) from error
    state_from = mandate.state
    mandate.state = to
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


def mandate_check(*, data: MandateInput, payer: Party | None = None) -> CheckedMandate:
    """Every rule of the form, each problem naming its field; nothing is written."""
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
    account = None
    try:
        account = parse_account(data.account or "")
    except AccountNumberError as error:
        problems.add("account", error.code, error.message)
    if (
        account is not None
        and id_number is not None
        and account.clearing in PERSONAL_NUMBER_CLEARINGS
        and account.account != id_number.value[2:]
    ):
        problems.add(
            "account",
            "mandate.account_not_payers",
            _(
                "A Nordea personal account (clearing %(clearing)s) is the holder's personal "
                "identity number; this one belongs to someone else than the payer. The "
                "account holder, the account and the personal identity number must belong "
                "to the same person."
            )
            % {"clearing": account.clearing},
        )
    bank = clean_text(problems, "bank", data.bank, max_length=60, required=False)
    chosen: list[tuple[Policy, str]] = []
    if not data.policies:
        problems.add("policies", "mandate.no_policy", _("Name at least one insurance to pay."))
    for index, choice in enumerate(data.policies):
        where = f"policies.{index}"
        policy = Policy.objects.filter(number=(choice.number or "").strip()).first()
        if policy is None or (payer is not None and policy.policyholder_id != payer.pk):
            problems.add(
                f"{where}.number",
                "mandate.policy_unknown",
                _("No insurance %(number)s held by the payer.") % {"number": choice.number},
            )
            continue
        if policy.state != PolicyState.ACTIVE:
            problems.add(
                f"{where}.number",
                "mandate.policy_not_active",
                _("Insurance %(number)s is no longer in force.") % {"number": policy.number},
            )
            continue
        period = choice.period or policy.period
        if period != policy.period:
            problems.add(
                f"{where}.period",
                "mandate.period_differs",
                _(
                    "Insurance %(number)s is paid %(period)s; another payment period is a "
                    "change of the insurance (apply for a change)."
                )
                % {"number": policy.number, "period": policy.get_period_display().lower()},
            )
            continue
        if MandatePolicy.objects.filter(
            policy=policy,
            detached_on__isnull=True,
            mandate__state__in=["requested", "sent", "active"],
        ).exists():
            problems.add(
                f"{where}.number",
                "mandate.policy_has_mandate",
                _("Insurance %(number)s is already paid by autogiro.") % {"number": policy.number},
            )
            continue
        chosen.append((policy, period))
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
    MandatePolicy.objects.bulk_create(
        MandatePolicy(mandate=mandate, policy=policy, period=period, attached_on=today)
        for policy, period in checked.policies
    )
    note = "" if checked.certain else _("The account number could not be fully checked.")
    _event(ctx, mandate, "", note)
    audit_record(
        ctx=ctx,
        action=AuditAction.CREATE,
        subject_id=checked.payer.pk,
        object_type="mandate",
        object_id=mandate.pk,
        detail={"channel": channel, "policies": [p.number for p, _ in checked.policies]},
    )
    return mandate


def mandate_register(*, ctx: AuditContext, data: MandateInput) -> Mandate:
    """A paper application entered in the back office."""
    with transaction.atomic():
        checked = mandate_check(data=data)
        return _create(ctx, checked, channel="paper")


def _summary(checked: CheckedMandate) -> str:
    return _(
        "Autogiro: %(company)s may debit account %(account)s for the premiums of %(policies)s"
    ) % {
        "company": "trygg",
        "account": f"{checked.clearing}-{checked.account}",
        "policies": ", ".join(p.number for p, _ in checked.policies),
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
        Charge.objects.filter(pk=charge.pk).update(
            method=ChargeMethod.INVOICE,
            state=ChargeState.INVOICED,
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


class Terminator:
    INSURER = "insurer"
    HOLDER = "holder"


def mandate_terminate(
    *, ctx: AuditContext, mandate_id: int, by: str, reason: str, at_once: bool = False
) -> Mandate:
    """End the autogiro: by the insurer on 30 days' notice (at once after repeated failures, a
    closed account, or when the payer should not use autogiro), or by the account holder on one
    month's notice. Premiums due after the end are invoiced."""
    today = clock.today()
    problems = Problems()
    text = clean_text(problems, "reason", reason, max_length=200)
    if by not in (Terminator.INSURER, Terminator.HOLDER):
        problems.add("by", "mandate.terminator", _("Choose the insurer or the account holder."))
    if at_once and by == Terminator.HOLDER:
        problems.add(
            "at_once", "mandate.holder_notice", _("The account holder gives one month's notice.")
        )
    problems.raise_if_any()
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
        end = (
            rules.holder_termination_end(today)
            if by == Terminator.HOLDER
            else rules.insurer_termination_end(today, at_once=at_once)
        )
        mandate.ended_on = end
        mandate.end_reason = text
        mandate.deletion_due = end if mandate.state != "requested" else None
        _move(ctx, mandate, rules.MandateState.ENDED, text)
        MandatePolicy.objects.filter(mandate=mandate, detached_on__isnull=True).update(
            detached_on=end
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
