"""API: quotes (open to anyone), and the customer's applications and policies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import Router, Schema, Status
from pydantic import Field

from trygg.identity.actors import audit_context
from trygg.identity.auth import CustomerSessionAuth
from trygg.identity.requests import PortalRequest
from trygg.identity.sca import Function
from trygg.identity.schemas import SigningOut, signing_out
from trygg.insurance.applications import (
    AnswerInput,
    ApplicationInput,
    application_start,
    application_submit,
    applications_of,
    questions,
)
from trygg.insurance.letters import policy_letter
from trygg.insurance.policies import current_term, policy_cancel
from trygg.insurance.selectors import policies_of, policy_of
from trygg.insurance.tariffs import quote_for
from trygg.kernel import clock
from trygg.kernel.errors import NotFound
from trygg.kernel.models import AuditChannel

if TYPE_CHECKING:
    from trygg.insurance.models import Application, Policy

router = Router(tags=["insurance"])
customer = CustomerSessionAuth()


class QuoteIn(Schema):
    insured: str = Field(
        max_length=20,
        description="The insured's birth date (YYYY-MM-DD) or personal identity number",
    )
    level: int = Field(description="Insured level in price base amounts: 10, 20, 30, 40 or 50")
    period: str = Field("yearly", description="monthly, half_yearly or yearly")
    date: dt.date = Field(description="The start date the quote is for")


class QuoteOut(Schema):
    tariff_version: str
    pbb_year: int
    pbb: Decimal
    age: int
    level: int
    base_amount: Decimal = Field(description="Disability base amount (grundbelopp)")
    max_disability: Decimal = Field(description="Highest disability payout (2 × base amount)")
    annual_price: Decimal
    period: str
    surcharge_percent: Decimal
    year_total: Decimal = Field(description="A year's premium when paid by this period")
    price_per_period: Decimal
    instalments: list[Decimal]


@router.post(
    "/insurance/quotes", response=QuoteOut, auth=None, summary="Quote the accident insurance"
)
def quote(request: HttpRequest, payload: QuoteIn) -> QuoteOut:
    q = quote_for(
        insured=payload.insured, level=payload.level, period=payload.period, on=payload.date
    ).quote
    return QuoteOut(
        tariff_version=q.tariff_version,
        pbb_year=q.pbb_year,
        pbb=q.pbb,
        age=q.age,
        level=q.level,
        base_amount=q.base_amount,
        max_disability=q.max_disability,
        annual_price=q.annual_price,
        period=q.period.value,
        surcharge_percent=q.surcharge_percent,
        year_total=q.year_total,
        price_per_period=q.price_per_period,
        instalments=list(q.instalments),
    )


class QuestionOut(Schema):
    code: str
    text: str
    detail_on_yes: bool


@router.get(
    "/insurance/questions",
    response=list[QuestionOut],
    auth=None,
    summary="The health declaration \u201cMin hälsa\u201d: every question must be answered",
)
def health_questions(request: HttpRequest) -> list[QuestionOut]:
    language = get_language() or "sv"
    return [
        QuestionOut(code=q.code, text=q.text(language), detail_on_yes=q.detail_on_yes)
        for q in questions()
    ]


class AnswerIn(Schema):
    yes: bool
    detail: str = Field("", max_length=1000)


class ApplicationIn(Schema):
    kind: str = Field("new", description="new, increase, reexamination or change")
    policy_number: str = Field("", max_length=20, description="For an increase or a change")
    insured_id_number: str = Field(max_length=20)
    insured_given_name: str = Field(max_length=100)
    insured_family_name: str = Field(max_length=100)
    level: int
    payment_method: str = Field(description="invoice, autogiro or existing_autogiro")
    period: str = Field(description="monthly, half_yearly or yearly")
    autogiro_account: str = Field(
        "",
        max_length=30,
        description="With autogiro: the account to debit, clearing and account number (one of "
        "your accounts with us or one in your name at another bank); the mandate is created "
        "when the policy is issued. Empty: register the mandate later",
    )
    start_date: dt.date | None = Field(None, description="Empty: the day after today")
    replaces_other: bool
    replaced_policy_number: str = Field("", max_length=20)
    answers: dict[str, AnswerIn] = Field(description="Every question of /insurance/questions")
    privacy_notice_shown: bool = Field(description="The personal-data notice was shown")


class ApplicationOut(Schema):
    number: str
    kind: str
    state: str
    level: int
    start_date: dt.date | None
    annual_price: Decimal
    policy_number: str | None


class TermOut(Schema):
    starts_on: dt.date
    ends_on: dt.date
    pbb_year: int
    base_amount: Decimal
    max_disability: Decimal
    year_total: Decimal
    tariff_version: str


class PolicyOut(Schema):
    number: str
    policyholder: str
    insured: str
    level: int
    state: str
    start_date: dt.date
    renewal_date: dt.date
    payment_method: str
    period: str
    exclusion: str
    current_term: TermOut | None


def _application_in(payload: ApplicationIn) -> ApplicationInput:
    return ApplicationInput(
        kind=payload.kind,
        level=payload.level,
        payment_method=payload.payment_method,
        period=payload.period,
        start_date=payload.start_date,
        replaces_other=payload.replaces_other,
        insured_id_number=payload.insured_id_number,
        insured_given_name=payload.insured_given_name,
        insured_family_name=payload.insured_family_name,
        replaced_policy_number=payload.replaced_policy_number,
        policy_number=payload.policy_number,
        answers={k: AnswerInput(a.yes, a.detail) for k, a in payload.answers.items()},
        privacy_notice_shown=payload.privacy_notice_shown,
        autogiro_account=payload.autogiro_account,
    )


def _application_out(a: Application) -> ApplicationOut:
    return ApplicationOut(
        number=a.number,
        kind=a.kind,
        state=a.state,
        level=a.level,
        start_date=a.start_date,
        annual_price=a.annual_price,
        policy_number=a.policy.number if a.policy else None,
    )


def _policy_out(p: Policy) -> PolicyOut:
    term = current_term(p)
    return PolicyOut(
        number=p.number,
        policyholder=p.policyholder.display_name,
        insured=p.insured.display_name,
        level=p.level,
        state=p.state,
        start_date=p.start_date,
        renewal_date=p.renewal_date,
        payment_method=p.payment_method,
        period=p.period,
        exclusion=p.exclusion,
        current_term=TermOut(
            starts_on=term.starts_on,
            ends_on=term.ends_on,
            pbb_year=term.pbb_year,
            base_amount=term.base_amount,
            max_disability=term.base_amount * 2,
            year_total=term.year_total,
            tariff_version=term.tariff.version,
        )
        if term
        else None,
    )


@router.get(
    "/insurance/applications",
    response=list[ApplicationOut],
    auth=customer,
    summary="Your applications",
)
def applications(request: PortalRequest) -> list[ApplicationOut]:
    rows = applications_of(ctx=audit_context(request, AuditChannel.API), person=request.auth)
    return [_application_out(a) for a in rows]


@router.post(
    "/insurance/applications/signing",
    response={201: SigningOut},
    auth=customer,
    summary="Check an application and create the order to sign (token or BankID)",
)
def application_signing(request: PortalRequest, payload: ApplicationIn) -> Status[SigningOut]:
    order = application_start(
        ctx=audit_context(request, AuditChannel.API),
        person=request.auth,
        data=_application_in(payload),
    )
    return Status(201, signing_out(order))


@router.post(
    "/insurance/applications/{signing_id}",
    response={201: ApplicationOut},
    auth=customer,
    summary="Send the signed application; it is assessed at once",
)
def application_send(
    request: PortalRequest, signing_id: str, payload: ApplicationIn
) -> Status[ApplicationOut]:
    application = application_submit(
        ctx=audit_context(request, AuditChannel.API),
        person=request.auth,
        signing_id=signing_id,
        data=_application_in(payload),
    )
    return Status(201, _application_out(application))


@router.get(
    "/insurance/policies",
    response=list[PolicyOut],
    auth=CustomerSessionAuth(function=Function.INSURANCE),
    summary="The policies you hold or are insured by",
)
def policies(request: PortalRequest) -> list[PolicyOut]:
    rows = policies_of(ctx=audit_context(request, AuditChannel.API), person=request.auth)
    return [_policy_out(p) for p in rows]


def _own_policy(request: PortalRequest, number: str) -> Policy:
    return policy_of(
        ctx=audit_context(request, AuditChannel.API), person=request.auth, number=number
    )


@router.get(
    "/insurance/policies/{number}/letter",
    auth=CustomerSessionAuth(function=Function.INSURANCE),
    summary="The policy letter (försäkringsbrev) as PDF",
    response={200: None},
)
def policy_letter_pdf(request: PortalRequest, number: str) -> HttpResponse:
    policy = _own_policy(request, number)
    response = HttpResponse(policy_letter(policy, on=clock.today()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{policy.number}.pdf"'
    return response


class CancelIn(Schema):
    on: dt.date = Field(description="The day the cover ends (at the earliest tomorrow)")


@router.post(
    "/insurance/policies/{number}/cancel",
    response=PolicyOut,
    auth=customer,
    summary="Cancel a policy you hold",
)
def policy_cancel_endpoint(request: PortalRequest, number: str, payload: CancelIn) -> PolicyOut:
    policy = _own_policy(request, number)
    if policy.policyholder_id != request.auth.pk:
        raise NotFound("No such policy among yours.", code="policy.not_found")
    cancelled = policy_cancel(
        ctx=audit_context(request, AuditChannel.API),
        person=request.auth,
        policy_id=policy.pk,
        on=payload.on,
    )
    return _policy_out(cancelled)
