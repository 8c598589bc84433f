"""Claims: reported in the portal or the back office, decided by a claims handler with the
benefit calculator, paid through the ledger.

Which price base amount applies: the one of the year the accident happened (see
docs/decisions/0010). The cover is what the policy gave on the accident date: the level of the
term that covered that day and the cover items of that term's tariff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from trygg.banking import chart
from trygg.banking.ledger import Leg, book, internal_account
from trygg.banking.models import Account
from trygg.banking.rules import RuleError, parse_destination
from trygg.claims import rules
from trygg.claims.messages import benefit_error_message
from trygg.claims.models import Claim, ClaimChannel, ClaimState
from trygg.insurance.models import Policy, Tariff
from trygg.insurance.policies import term_on
from trygg.insurance.tariffs import pbb_for
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.counters import counter_next
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.models import AuditAction
from trygg.kernel.statetable import RuleError as StateRuleError
from trygg.kernel.statetable import check_move
from trygg.kernel.validation import Problems, clean_text
from trygg.parties.models import Party
from trygg.parties.selectors import accessible_parties


def _policy_for(person: Party, policy_number: object) -> Policy:
    parties = [p.pk for p in accessible_parties(person)]
    policy = (
        Policy.objects.filter(number=str(policy_number or "").strip())
        .filter(Q(policyholder_id__in=parties) | Q(insured_id__in=parties))
        .first()
    )
    if policy is None:
        raise NotFound(_("No such policy among yours."), code="policy.not_found")
    return policy


def _payout_target(
    problems: Problems, person: Party | None, account_id: object, other: object
) -> tuple[Account | None, str]:
    if account_id not in (None, ""):
        parties = [p.pk for p in accessible_parties(person)] if person else []
        account = (
            Account.objects.filter(pk=account_id, party_id__in=parties).first()
            if isinstance(account_id, int)
            else None
        )
        if account is None:
            problems.add("payout_account", "account.not_found", _("No such account among yours."))
        return account, ""
    text = str(other or "").strip()
    if not text:
        problems.add(
            "payout_destination",
            "payout.required",
            _("Choose one of your accounts or give an account at another bank for the payout."),
        )
        return None, ""
    try:
        destination = parse_destination("account", text)
    except RuleError as error:
        problems.add("payout_destination", error.code, error.message)
        return None, ""
    return None, destination.display()


def _report(
    *,
    ctx: AuditContext,
    policy: Policy,
    reporter: Party | None,
    channel: str,
    accident_date: object,
    description: object,
    payout_account: object,
    payout_destination: object,
) -> Claim:
    problems = Problems()
    text = clean_text(problems, "description", description, max_length=4000)
    day = accident_date if isinstance(accident_date, dt.date) else None
    if day is None:
        problems.add("accident_date", "date.format", _("Give the date of the accident."))
    elif day > clock.today():
        problems.add("accident_date", "claim.future", _("The accident date is in the future."))
    elif term_on(policy, day) is None:
        problems.add(
            "accident_date",
            "claim.not_in_cover",
            _("The policy did not cover %(date)s: the accident date must fall in the cover.")
            % {"date": day.isoformat()},
        )
    account, destination = _payout_target(
        problems, reporter or policy.policyholder, payout_account, payout_destination
    )
    problems.raise_if_any()
    assert day is not None
    with transaction.atomic():
        claim = Claim.objects.create(
            number=f"S{counter_next(name='claim_number', start=500001)}",
            policy=policy,
            reported_by=reporter,
            channel=channel,
            accident_date=day,
            description=text,
            reported_at=clock.now(),
            state=ClaimState.REPORTED,
            payout_account=account,
            payout_destination=destination,
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=policy.insured_id,
            object_type="claim",
            object_id=claim.pk,
        )
    return claim


def claim_report(
    *,
    ctx: AuditContext,
    person: Party,
    policy_number: object,
    accident_date: object,
    description: object,
    payout_account: object = None,
    payout_destination: object = "",
) -> Claim:
    """The policyholder or the insured reports an accident in the portal."""
    return _report(
        ctx=ctx,
        policy=_policy_for(person, policy_number),
        reporter=person,
        channel=ClaimChannel.WEB,
        accident_date=accident_date,
        description=description,
        payout_account=payout_account,
        payout_destination=payout_destination,
    )


def claim_report_staff(
    *,
    ctx: AuditContext,
    policy_id: int,
    accident_date: object,
    description: object,
    payout_destination: object,
) -> Claim:
    """Customer service or a claims handler reports an accident told by phone or letter."""
    policy = Policy.objects.filter(pk=policy_id).first()
    if policy is None:
        raise NotFound(_("No such policy."), code="policy.not_found")
    return _report(
        ctx=ctx,
        policy=policy,
        reporter=None,
        channel=ClaimChannel.BACK_OFFICE,
        accident_date=accident_date,
        description=description,
        payout_account=None,
        payout_destination=payout_destination,
    )


@dataclass(frozen=True)
class FactsInput:
    """What the claims handler established (from medical certificates, receipts ...)."""

    medical_degree: int = 0
    occupational: str = "none"
    hospital_nights: int = 0
    costs: list[tuple[dt.date, Decimal, str]] = field(default_factory=list)
    clothes_glasses: Decimal = Decimal(0)
    scar: tuple[str, str] | None = None
    pain_months: int = 0
    died: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "medical_degree": self.medical_degree,
            "occupational": self.occupational,
            "hospital_nights": self.hospital_nights,
            "costs": [[d.isoformat(), str(a), t] for d, a, t in self.costs],
            "clothes_glasses": str(self.clothes_glasses),
            "scar": list(self.scar) if self.scar else None,
            "pain_months": self.pain_months,
            "died": self.died,
        }


def terms_of(tariff: Tariff) -> rules.CoverTerms:
    """The tariff's cover items as the calculator's terms (tables are data on the tariff)."""
    try:
        return rules.CoverTerms(
            acute_care_once=tariff.acute_care_once,
            hospital_per_day=tariff.hospital_per_day,
            hospital_max_days=tariff.hospital_max_days,
            costs_years=tariff.costs_years,
            clothes_cap_pbb=tariff.clothes_cap_pbb,
            death_pbb=tariff.death_pbb,
            pain_from_age=tariff.pain_from_age,
            pain_bands=tuple((int(m), Decimal(str(r))) for m, r in tariff.pain_bands),
            scar_table={
                tuple(key.split(":", 1)): Decimal(str(v)) for key, v in tariff.scar_table.items()
            },
        )
    except (rules.BenefitError, ValueError, InvalidOperation) as error:
        raise ValidationFailed(
            code="tariff.terms",
            field="tariff",
            message=_("The tariff's cover tables are not valid: %(error)s") % {"error": error},
        ) from error


@dataclass(frozen=True)
class Assessment:
    benefits: rules.Benefits
    pbb_year: int
    pbb: Decimal
    level: int
    tariff_version: str


def _occupational(value: str) -> rules.Occupational:
    try:
        return rules.Occupational(value)
    except ValueError:
        raise rules.BenefitError(
            "benefit.occupational_class",
            "occupational",
            "Choose none, less than half, half, three quarters or full.",
        ) from None


def benefits_for(claim: Claim, facts: FactsInput, *, pbb: Decimal | None = None) -> Assessment:
    """The claim's benefits under the cover on the accident date, with the accident year's PBB
    (or the ``pbb`` a decision already used)."""
    term = term_on(claim.policy, claim.accident_date)
    if term is None:
        raise ValidationFailed(
            code="claim.not_in_cover",
            field="accident_date",
            message=_("The policy did not cover the accident date."),
        )
    if pbb is None:
        pbb = pbb_for(claim.accident_date.year, field="accident_date")
    level = int(term.base_amount / term.pbb)
    insured = claim.policy.insured
    if insured.birth_date is None:
        raise ValidationFailed(
            code="insured.birth_date", field="insured", message=_("The insured has no birth date.")
        )
    try:
        result = rules.calculate(
            terms_of(term.tariff),
            rules.ClaimFacts(
                accident_date=claim.accident_date,
                insured_birth_date=insured.birth_date,
                level_pbb=level,
                pbb=pbb,
                medical_degree=facts.medical_degree,
                occupational=_occupational(facts.occupational),
                hospital_nights=facts.hospital_nights,
                costs=tuple(rules.Cost(d, a, t) for d, a, t in facts.costs),
                clothes_glasses=facts.clothes_glasses,
                scar=facts.scar,
                pain_months=facts.pain_months,
                died=facts.died,
            ),
        )
    except rules.BenefitError as error:
        raise ValidationFailed(
            code=error.code, field=error.field, message=benefit_error_message(error)
        ) from error
    return Assessment(result, claim.accident_date.year, pbb, level, term.tariff.version)


def facts_from_json(data: dict[str, Any]) -> FactsInput:
    """The facts as a decision stored them (``FactsInput.as_json``)."""
    scar = data.get("scar")
    return FactsInput(
        medical_degree=int(data.get("medical_degree") or 0),
        occupational=str(data.get("occupational") or "none"),
        hospital_nights=int(data.get("hospital_nights") or 0),
        costs=[(dt.date.fromisoformat(d), Decimal(a), str(t)) for d, a, t in data.get("costs", [])],
        clothes_glasses=Decimal(str(data.get("clothes_glasses") or 0)),
        scar=(str(scar[0]), str(scar[1])) if scar else None,
        pain_months=int(data.get("pain_months") or 0),
        died=bool(data.get("died")),
    )


def lines_explained(claim: Claim) -> list[dict[str, Any]]:
    """The claim's benefit lines as decided, each with the reasons its explanation is written
    from in the reader's language. A line decided before the reasons were kept has only an
    English sentence: its reasons are found by running the calculator again on the decision's
    stored facts and PBB, and kept only where that run gives the same item and amount (else
    the stored sentence stays). Nothing is written."""
    lines = [dict(line) for line in claim.lines]
    if all(line.get("reasons") for line in lines) or not claim.facts or claim.pbb is None:
        return lines
    try:
        again = benefits_for(claim, facts_from_json(claim.facts), pbb=claim.pbb).benefits.lines
    except (ValidationFailed, rules.BenefitError, KeyError, TypeError, ValueError):
        return lines  # InvalidOperation is a ValueError
    found = {(line.item.value, line.amount): line.reasons for line in again}
    for line in lines:
        if not line.get("reasons"):
            reasons = found.get((line["item"], Decimal(str(line["amount"]))))
            if reasons:
                line["reasons"] = [reason.as_json() for reason in reasons]
    return lines


def _locked(claim_id: int) -> Claim:
    claim = Claim.objects.select_for_update().select_related("policy").filter(pk=claim_id).first()
    if claim is None:
        raise NotFound(_("No such claim."), code="claim.not_found")
    return claim


def _claim_move(claim: Claim, to: ClaimState) -> None:
    """The one place a claim changes state, along ``rules.CLAIM_TRANSITIONS`` (the caller holds
    the row's lock and saves it with the rest of the change)."""
    try:
        check_move(rules.CLAIM_TRANSITIONS, claim.state, to, "claim")
    except StateRuleError as error:
        raise ValidationFailed(
            code=error.code,
            field="state",
            message=_("The claim is %(state)s and cannot become %(to)s.")
            % {"state": claim.get_state_display(), "to": ClaimState(to).label},
        ) from error
    claim.state = to


def claim_decide(*, ctx: AuditContext, user: Any, claim_id: int, facts: FactsInput) -> Claim:
    """Record the facts and the benefits they give; the decision letter follows from it."""
    with transaction.atomic():
        claim = _locked(claim_id)
        if claim.state not in (ClaimState.REPORTED, ClaimState.DECIDED):
            raise ValidationFailed(
                code="claim.state",
                field="state",
                message=_("A claim that is paid or rejected cannot be decided again."),
            )
        assessment = benefits_for(claim, facts)
        claim.facts = facts.as_json()
        claim.pbb_year = assessment.pbb_year
        claim.pbb = assessment.pbb
        claim.lines = [
            {
                "item": line.item.value,
                "amount": str(line.amount),
                "basis": line.basis,
                "reasons": [reason.as_json() for reason in line.reasons],
            }
            for line in assessment.benefits.lines
        ]
        claim.total = assessment.benefits.total
        _claim_move(claim, ClaimState.DECIDED)
        claim.decided_by = user
        claim.decided_at = clock.now()
        claim.save()
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=claim.policy.insured_id,
            object_type="claim",
            object_id=claim.pk,
            detail={"decided": str(claim.total)},
        )
    return claim


def claim_reject(*, ctx: AuditContext, user: Any, claim_id: int, reason: str) -> Claim:
    problems = Problems()
    text = clean_text(problems, "reason", reason, max_length=2000)
    problems.raise_if_any()
    with transaction.atomic():
        claim = _locked(claim_id)
        if claim.state == ClaimState.PAID:
            raise ValidationFailed(
                code="claim.state", field="state", message=_("A paid claim cannot be rejected.")
            )
        _claim_move(claim, ClaimState.REJECTED)
        claim.rejection_reason = text
        claim.decided_by = user
        claim.decided_at = clock.now()
        claim.save()
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=claim.policy.insured_id,
            object_type="claim",
            object_id=claim.pk,
            detail={"rejected": True},
        )
    return claim


def claim_pay(*, ctx: AuditContext, claim_id: int) -> Claim:
    """Book the decided benefits in the ledger: from the claims account to the customer's
    account with us, or to outgoing clearing for an account at another bank. Paying twice
    books once."""
    with transaction.atomic():
        claim = _locked(claim_id)
        if claim.state == ClaimState.PAID:
            return claim
        if claim.state != ClaimState.DECIDED:
            raise ValidationFailed(
                code="claim.state", field="state", message=_("Only a decided claim is paid.")
            )
        if claim.total <= 0:
            raise ValidationFailed(
                code="claim.nothing_to_pay",
                field="total",
                message=_("The decision gives no benefit to pay."),
            )
        source = internal_account(chart.CLAIMS_PAYABLE)
        target = claim.payout_account or internal_account(chart.OUTGOING_CLEARING)
        entry = book(
            kind="claim_payout",
            description=f"Claim {claim.number} "
            + (claim.payout_destination if not claim.payout_account else ""),
            legs=[
                Leg(source, -claim.total, f"Claim {claim.number}"),
                Leg(
                    target, claim.total, _("Insurance claim %(number)s") % {"number": claim.number}
                ),
            ],
            party=claim.policy.policyholder,
            idempotency_key=f"claim:{claim.number}",
            request={"claim": claim.number, "total": str(claim.total)},
        )
        claim.payout = entry
        _claim_move(claim, ClaimState.PAID)
        claim.save(update_fields=["payout", "state"])
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=claim.policy.insured_id,
            object_type="claim",
            object_id=claim.pk,
            detail={"paid": str(claim.total), "transaction": entry.pk},
        )
    return claim
