"""Reads of claims for pages, the API, commands and the back office; reads of a person's
claims are audited."""

from __future__ import annotations

from django.db.models import Q

from trygg.claims.models import Claim
from trygg.insurance.models import Policy
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.models import AuditAction
from trygg.parties.models import Party
from trygg.parties.selectors import accessible_parties


def claims_of(*, ctx: AuditContext, person: Party) -> list[Claim]:
    """The claims on the policies the person (or their firm) holds or is insured by, newest
    first: audited."""
    parties = [p.pk for p in accessible_parties(person)]
    rows = list(
        Claim.objects.filter(
            Q(policy__policyholder_id__in=parties) | Q(policy__insured_id__in=parties)
        )
        .select_related("policy")
        .order_by("-reported_at")[:50]
    )
    if rows:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=person.pk,
            object_type="claim",
            object_id=",".join(str(c.pk) for c in rows[:20]),
        )
    return rows


def claim_to_assess(*, ctx: AuditContext, number: str) -> Claim | None:
    """A claim by its number for a claims handler's assessment, or None: audited when found."""
    claim = Claim.objects.select_related("policy__insured").filter(number=number).first()
    if claim is not None:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=claim.policy.insured_id,
            object_type="claim",
            object_id=claim.pk,
            detail={"view": "assessment"},
        )
    return claim


def policy_to_report_on(*, ctx: AuditContext, policy_id: int) -> Policy | None:
    """The policy a claims handler reports a claim on, or None: audited when found."""
    policy = Policy.objects.filter(pk=policy_id).first()
    if policy is not None:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=policy.policyholder_id,
            object_type="policy",
            object_id=policy.pk,
            detail={"view": "claim_report"},
        )
    return policy
