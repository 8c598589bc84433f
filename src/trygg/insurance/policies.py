"""Policies: issued from an accepted application, with yearly terms whose amounts follow the
price base amount and whose premium follows the tariff valid at the term's start; changes,
cancellation by the customer, lapse on non-payment.

A term is one insurance year and its premium schedule (``rules.schedule``): the instalments of
its payment period add up exactly to the year's premium. Annual renewal of the whole portfolio is
set-based SQL (``renewal``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from stdnum import luhn

from trygg.insurance import rules
from trygg.insurance.autogiro import autogiro_billing
from trygg.insurance.models import (
    Application,
    ApplicationKind,
    Policy,
    PolicyState,
    PolicyTerm,
)
from trygg.insurance.tariffs import pbb_for, tariff_on
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.counters import counter_next
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.models import AuditAction
from trygg.kernel.statetable import RuleError as StateRuleError
from trygg.kernel.statetable import check_move
from trygg.parties.models import Party
from trygg.parties.selectors import person_by_id_number
from trygg.parties.services import ContactInput, person_register


def _policy_number() -> str:
    serial = str(counter_next(name="policy_number", start=4000001))
    return f"{serial}{luhn.calc_check_digit(serial)}"


def _person(
    ctx: AuditContext, id_number: str, given: str, family: str, contact: ContactInput
) -> Party:
    party = person_by_id_number(country="SE", id_number=id_number)
    if party is not None:
        return party
    return person_register(
        ctx=ctx, id_number=id_number, given_name=given, family_name=family, contact=contact
    )


def term_write(policy: Policy, starts_on: dt.date) -> PolicyTerm:
    """One insurance year from ``starts_on`` (with the broken part of its first month, see
    ``rules.term_end``): that year's PBB, the tariff then valid."""
    row, tariff = tariff_on(starts_on)
    pbb = pbb_for(starts_on.year)
    annual, total, _parts = rules.price(tariff, policy.level, rules.Period(policy.period))
    return PolicyTerm.objects.create(
        policy=policy,
        starts_on=starts_on,
        ends_on=rules.term_end(starts_on),
        tariff=row,
        pbb_year=starts_on.year,
        pbb=pbb,
        base_amount=pbb * policy.level,
        annual_price=annual,
        year_total=total,
        period=policy.period,
    )


def term_schedule(term: PolicyTerm) -> list[rules.Instalment]:
    return rules.schedule(
        starts_on=term.starts_on,
        ends_on=term.ends_on,
        period=rules.Period(term.period),
        year_total=term.year_total,
    )


def term_yearly_schedule(term: PolicyTerm) -> list[rules.Instalment]:
    """The term's premium under the insurance contract's own terms: yearly in advance, at the
    yearly price (no surcharge for monthly or half-yearly payment)."""
    return rules.schedule(
        starts_on=term.starts_on,
        ends_on=term.ends_on,
        period=rules.Period.YEARLY,
        year_total=term.annual_price,
    )


def policy_issue(*, ctx: AuditContext, application: Application) -> Policy:
    """Issue the policy of an accepted application (inside the caller's transaction). An
    increase, a re-examination or a change amends the policy it concerns from the start date:
    the running term ends there and a new one begins with the new level, exclusion or payment."""
    with transaction.atomic():
        if application.kind != ApplicationKind.NEW and application.policy_id is not None:
            amended = _amend(ctx, application)
            _autogiro_from_application(ctx, amended, application)
            return amended
        holder = application.policyholder or _person(
            ctx,
            application.holder_id_number,
            application.holder_given_name,
            application.holder_family_name,
            ContactInput(
                street=application.holder_street,
                postal_code=application.holder_postal_code,
                city=application.holder_city,
                email=application.holder_email,
                mobile=application.holder_mobile,
            ),
        )
        insured = (
            holder
            if application.insured_id_number == holder.id_number
            else _person(
                ctx,
                application.insured_id_number,
                application.insured_given_name,
                application.insured_family_name,
                ContactInput(
                    street=application.insured_street,
                    postal_code=application.insured_postal_code,
                    city=application.insured_city,
                ),
            )
        )
        start = application.start_date or application.applied_on + dt.timedelta(days=1)
        policy = Policy.objects.create(
            number=_policy_number(),
            product=application.product,
            policyholder=holder,
            insured=insured,
            level=application.level,
            start_date=start,
            renewal_date=rules.term_end(start),
            payment_method=application.payment_method,
            period=application.period,
            exclusion=application.exclusion,
            state=PolicyState.ACTIVE,
            created_at=clock.now(),
        )
        term_write(policy, start)
        application.policy = policy
        application.policyholder = holder
        application.insured = insured
        application.save(update_fields=["policy", "policyholder", "insured"])
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=holder.pk,
            object_type="policy",
            object_id=policy.pk,
            detail={"application": application.number},
        )
        _autogiro_from_application(ctx, policy, application)
    return policy


def _autogiro_from_application(ctx: AuditContext, policy: Policy, application: Application) -> None:
    """An application paid by a new autogiro carries the account: premium billing creates the
    mandate (or puts the policy on the payer's mandate of that account) as the policy is issued."""
    billing = autogiro_billing()
    if billing is not None and application.autogiro_account:
        billing.policy_issued(ctx, policy, application)


def _cut_term(policy: Policy, on: dt.date) -> None:
    """End the running term on ``on``: the instalments of periods from that day fall away from
    its schedule (the premium for time not insured is not charged)."""
    term = policy.terms.filter(starts_on__lt=on, ends_on__gt=on).first()
    if term is None:
        return
    term.ends_on = on
    term.save(update_fields=["ends_on"])


def _amend(ctx: AuditContext, application: Application) -> Policy:
    assert application.policy_id is not None
    policy = Policy.objects.select_for_update().get(pk=application.policy_id)
    start = application.start_date or clock.today() + dt.timedelta(days=1)
    _cut_term(policy, start)
    policy.terms.filter(starts_on__gte=start).delete()
    policy.level = application.level
    policy.payment_method = application.payment_method
    policy.period = application.period
    if application.kind == ApplicationKind.REEXAMINATION:
        # The point of a re-examination: the exclusion is what this decision says (none lifts it).
        policy.exclusion = application.exclusion
    elif application.exclusion:
        policy.exclusion = "\n".join(x for x in (policy.exclusion, application.exclusion) if x)
    policy.save()
    term_write(policy, start)
    policy.renewal_date = rules.term_end(start)
    policy.save(update_fields=["renewal_date"])
    audit_record(
        ctx=ctx,
        action=AuditAction.UPDATE,
        subject_id=policy.policyholder_id,
        object_type="policy",
        object_id=policy.pk,
        detail={"application": application.number, "level": policy.level},
    )
    return policy


def policy_cancel(*, ctx: AuditContext, person: Party, policy_id: int, on: dt.date) -> Policy:
    """The policyholder cancels: cover ends on ``on`` (not before tomorrow); premiums for
    periods after it are not charged."""
    if on <= clock.today():
        raise ValidationFailed(
            code="policy.cancel_date",
            field="on",
            message=_("The insurance can end at the earliest tomorrow."),
        )
    with transaction.atomic():
        policy = (
            Policy.objects.select_for_update().filter(pk=policy_id, policyholder=person).first()
        )
        if policy is None:
            raise NotFound(_("No such policy among yours."), code="policy.not_found")
        return _end(ctx, policy, on, PolicyState.CANCELLED)


def policy_lapse(*, ctx: AuditContext, policy_id: int, on: dt.date) -> Policy:
    """Billing reports non-payment: cover ends on ``on`` as the notice of termination says."""
    with transaction.atomic():
        policy = Policy.objects.select_for_update().filter(pk=policy_id).first()
        if policy is None:
            raise NotFound(_("No such policy."), code="policy.not_found")
        return _end(ctx, policy, on, PolicyState.LAPSED)


def _policy_move(policy: Policy, to: PolicyState) -> None:
    """The one place a policy changes state, along ``rules.POLICY_TRANSITIONS`` (the caller
    holds the row's lock and saves it with the rest of the change)."""
    try:
        check_move(rules.POLICY_TRANSITIONS, policy.state, to, "policy")
    except StateRuleError as error:
        raise ValidationFailed(
            code="policy.not_active", field="policy", message=_("The policy is no longer in force.")
        ) from error
    policy.state = to


def _end(ctx: AuditContext, policy: Policy, on: dt.date, state: PolicyState) -> Policy:
    if policy.state != PolicyState.ACTIVE:
        raise ValidationFailed(
            code="policy.not_active", field="policy", message=_("The policy is no longer in force.")
        )
    if on < policy.start_date:
        on = policy.start_date
    _cut_term(policy, on)
    policy.terms.filter(starts_on__gte=on).delete()
    _policy_move(policy, state)
    policy.ended_on = on
    policy.save(update_fields=["state", "ended_on"])
    audit_record(
        ctx=ctx,
        action=AuditAction.UPDATE,
        subject_id=policy.policyholder_id,
        object_type="policy",
        object_id=policy.pk,
        detail={"state": state, "ended_on": on.isoformat()},
    )
    return policy


def term_on(policy: Policy, day: dt.date) -> PolicyTerm | None:
    """The policy's term on ``day``: the one that covers it, or None when the policy was not in
    force that day (not yet started, ended or lapsed before it). The one answer to "the
    policy's term on a day" for billing, claims and the pages; it reads prefetched terms."""
    if policy.ended_on is not None and day >= policy.ended_on:
        return None
    for term in policy.terms.all():
        if term.starts_on <= day < term.ends_on:
            return term
    return None


def current_term(policy: Policy, on: dt.date | None = None) -> PolicyTerm | None:
    """The term to show for the policy on ``on`` (today): the term on that day
    (``term_on``); for a policy not in force that day, the term nearest to it (the first of a
    policy not yet started, the last of one that ended)."""
    day = on or clock.today()
    found = term_on(policy, day)
    if found is not None:
        return found
    terms = sorted(policy.terms.all(), key=lambda t: t.starts_on)
    upcoming = [t for t in terms if t.starts_on > day]
    if upcoming:
        return upcoming[0]
    return terms[-1] if terms else None
