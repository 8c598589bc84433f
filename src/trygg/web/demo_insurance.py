"""Demo data of the accident insurance, through the services and idempotently: a policy with a
reported claim, an application in the underwriters' queue, an incomplete paper application
returned to the applicant."""

from __future__ import annotations

import datetime as dt

from trygg.claims.models import Claim
from trygg.claims.services import claim_report_staff
from trygg.insurance.applications import (
    AnswerInput,
    ApplicationInput,
    PaperInput,
    paper_application_register,
    questions,
)
from trygg.insurance.models import Application
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext
from trygg.parties.models import AddressKind, Party


def _paper(
    party: Party,
    *,
    level: int,
    method: str,
    period: str,
    answers: dict[str, AnswerInput],
    signed_on: dt.date,
    health_signed: bool = True,
) -> PaperInput:
    address = party.addresses.filter(kind=AddressKind.POSTAL).first()
    number = f"{party.id_number[:8]}-{party.id_number[8:]}"
    return PaperInput(
        application=ApplicationInput(
            kind="new",
            level=level,
            payment_method=method,
            period=period,
            start_date=None,
            replaces_other=False,
            insured_id_number=number,
            insured_given_name=party.given_name,
            insured_family_name=party.family_name,
            answers=answers,
        ),
        holder_id_number=number,
        holder_given_name=party.given_name,
        holder_family_name=party.family_name,
        holder_street=address.street if address else "",
        holder_postal_code=address.postal_code if address else "",
        holder_city=address.city if address else "",
        received_on=signed_on + dt.timedelta(days=5),
        signed_on=signed_on,
        health_signed_on=signed_on if health_signed else None,
        seller_code="D01",
        seller_name="Demo Försäljning",
    )


def load_demo_insurance(ctx: AuditContext, parties: list[Party]) -> None:
    """``parties`` are the Swedish demo customers in the demo's order."""
    today = clock.today()
    no = {q.code: AnswerInput(False) for q in questions()}
    first, second, third = parties[0], parties[3], parties[5]
    if not Application.objects.filter(holder_id_number=first.id_number).exists():
        application = paper_application_register(
            ctx=ctx,
            data=_paper(
                first,
                level=30,
                method="autogiro",
                period="monthly",
                answers=no,
                signed_on=today - dt.timedelta(days=40),
            ),
        )
        if application.policy is not None and not Claim.objects.exists():
            claim_report_staff(
                ctx=ctx,
                policy_id=application.policy.pk,
                accident_date=today - dt.timedelta(days=6),
                description="Halkade i trappan och bröt handleden; en natt på sjukhus.",
                payout_destination="6000-123456789",
            )
    yearly = parties[1]
    if not Application.objects.filter(holder_id_number=yearly.id_number).exists():
        # Paid yearly by autogiro from inside a month, far enough back that the demo's billing
        # history shows the year's debit failing and § 2 (B)'s renewed debit the month after.
        paper_application_register(
            ctx=ctx,
            data=_paper(
                yearly,
                level=20,
                method="autogiro",
                period="yearly",
                answers=no,
                signed_on=today - dt.timedelta(days=95),
            ),
        )
    if not Application.objects.filter(holder_id_number=second.id_number).exists():
        paper_application_register(
            ctx=ctx,
            data=_paper(
                second,
                level=40,
                method="invoice",
                period="yearly",
                answers={
                    **no,
                    "back_joints": AnswerInput(True, "Ryggskott 2024, sjukgymnastik i sex veckor"),
                },
                signed_on=today - dt.timedelta(days=7),
            ),
        )
    if not Application.objects.filter(holder_id_number=third.id_number).exists():
        paper_application_register(
            ctx=ctx,
            data=_paper(
                third,
                level=40,
                method="autogiro",
                period="half_yearly",
                answers={k: v for k, v in no.items() if k != "medication"},
                signed_on=today - dt.timedelta(days=9),
                health_signed=False,
            ),
        )
