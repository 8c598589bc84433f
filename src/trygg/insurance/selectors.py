"""Reads of insurance for pages, the API and the back office (reads of personal data audited
where they are made, see ``policies_of`` and ``applications_of``)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from trygg.insurance.models import PeriodChoice, Policy, PolicyTerm
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import NotFound
from trygg.kernel.models import AuditAction
from trygg.kernel.statements import PreparedRead, prefetched
from trygg.parties.models import Party

# Whether a payer has an autogiro mandate in force that a new insurance can be paid with
# ("betala med befintligt autogiro"). Mandates are premium billing's, a layer above insurance:
# billing answers through this hook, filled in when its app is ready.
_AUTOGIRO_IN_FORCE: list[Callable[[Party], bool]] = []


def autogiro_in_force_register(check: Callable[[Party], bool]) -> None:
    if check not in _AUTOGIRO_IN_FORCE:
        _AUTOGIRO_IN_FORCE.append(check)


def autogiro_in_force(payer: Party) -> bool:
    """Whether ``payer`` has an autogiro mandate in force (none when billing is not installed)."""
    return any(check(payer) for check in _AUTOGIRO_IN_FORCE)


def held_policy_id(*, holder: Party, number: str) -> int | None:
    """The id of the policy with ``number`` that ``holder`` holds (not one they are only
    insured by), or None: what a policyholder's own change is addressed to."""
    rows = Policy.objects.filter(number=number, policyholder=holder)
    return rows.values_list("pk", flat=True).first()


# The payment periods a quote or an application offers, with their labels.
PERIOD_CHOICES = PeriodChoice.choices


def period_label(value: str) -> str:
    return str(PeriodChoice(value).label)


def _visible_q(person_id: int) -> Q:
    """The policies a person sees: those they hold and those insuring them."""
    return Q(policyholder_id=person_id) | Q(insured_id=person_id)


def _visible_to(person: Party) -> QuerySet[Policy]:
    return (
        Policy.objects.filter(_visible_q(person.pk))
        .select_related("insured", "policyholder")
        .prefetch_related("terms")
    )


_VISIBLE = PreparedRead(
    lambda person_id: Policy.objects.filter(_visible_q(person_id)).order_by("number")
)
# The terms of the policies read (compiled once per number of policies), as a prefetch of
# ``terms`` would read them.
_TERMS = PreparedRead(lambda *policy_ids: PolicyTerm.objects.filter(policy_id__in=policy_ids))


def policy_of(*, ctx: AuditContext, person: Party, number: str) -> Policy:
    """One policy the person holds or is insured by; NotFound for any other number."""
    policy = _visible_to(person).filter(number=number).first()
    if policy is None:
        raise NotFound(_("No such policy among yours."), code="policy.not_found")
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=person.pk,
        object_type="policy",
        object_id=policy.pk,
    )
    return policy


def policies_of(*, ctx: AuditContext, person: Party) -> list[Policy]:
    """The policies the person holds or is insured by, with their current term."""
    rows = _VISIBLE(person.pk)
    if rows:
        # The person holds or is insured by each of these: where it is them, the person at
        # hand stands in, and only the other parties are read.
        for policy in rows:
            if policy.policyholder_id == person.pk:
                Policy.policyholder.field.set_cached_value(policy, person)
            if policy.insured_id == person.pk:
                Policy.insured.field.set_cached_value(policy, person)
        prefetch_related_objects(rows, "insured", "policyholder")
        terms: dict[int, list[PolicyTerm]] = {}
        for term in _TERMS(*[policy.pk for policy in rows]):
            terms.setdefault(term.policy_id, []).append(term)
        for policy in rows:
            prefetched(policy, "terms", terms.get(policy.pk, []))
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=person.pk,
            object_type="policy",
            object_id=",".join(str(p.pk) for p in rows[:20]),
        )
    return rows
