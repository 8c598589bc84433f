"""Applications: online (signed through the signing service) and on paper (entered in the back
office), the completeness check that returns an incomplete one with a letter, and automatic
acceptance when the health declaration raises nothing.

Every change of state goes through :func:`_move`, which checks the state table of
``application_rules`` and writes the case record and an audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from trygg.identity.models import SigningOrder
from trygg.identity.sca import Function
from trygg.identity.signing import SigningRequest, signed_execution, signing_start
from trygg.insurance import application_rules as ar
from trygg.insurance import rules
from trygg.insurance.autogiro import AutogiroAccount, autogiro_billing
from trygg.insurance.cases import application_move
from trygg.insurance.models import (
    Application,
    ApplicationKind,
    ApplicationState,
    Channel,
    HealthAnswer,
    HealthQuestion,
    PeriodChoice,
    Policy,
    PolicyState,
)
from trygg.insurance.tariffs import pbb_for, product, refusal, tariff_on
from trygg.kernel import clock, idnumbers
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.counters import counter_next
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.idnumber_messages import id_number_message
from trygg.kernel.models import AuditAction
from trygg.kernel.numbertext import account_text, money_text
from trygg.kernel.validation import Problems, clean_email, clean_phone, clean_text
from trygg.parties.models import AddressKind, ContactKind, Party


@dataclass(frozen=True)
class AnswerInput:
    yes: bool | None
    detail: str = ""
    corrected: bool = False
    correction_signed: bool = False


@dataclass(frozen=True)
class ApplicationInput:
    """The form's fields. Online, the policyholder's fields come from the logged-in customer."""

    kind: str
    level: object
    payment_method: str
    period: str
    start_date: dt.date | None
    replaces_other: bool | None
    insured_id_number: str = ""
    insured_given_name: str = ""
    insured_family_name: str = ""
    insured_street: str = ""
    insured_postal_code: str = ""
    insured_city: str = ""
    replaced_policy_number: str = ""
    policy_number: str = ""  # the policy an increase, re-examination or change concerns
    answers: dict[str, AnswerInput] = field(default_factory=dict)
    privacy_notice_shown: bool = False
    # Autogiro (a new mandate): clearing and account number as written, or one of the payer's
    # own accounts with us; the mandate is created when the policy is issued.
    autogiro_account: str = ""


@dataclass(frozen=True)
class PaperInput:
    """A paper form as it arrived, with what the insurer and the seller filled in."""

    application: ApplicationInput
    holder_id_number: str
    holder_given_name: str
    holder_family_name: str
    holder_street: str
    holder_postal_code: str
    holder_city: str
    holder_phone_home: str = ""
    holder_phone_work: str = ""
    holder_mobile: str = ""
    holder_email: str = ""
    received_on: dt.date | None = None  # the arrival stamp
    signed_on: dt.date | None = None
    health_signed_on: dt.date | None = None
    seller_code: str = ""
    seller_name: str = ""
    seller_phone: str = ""
    letter_via_seller: bool = False
    seller_address: str = ""


def questions() -> list[HealthQuestion]:
    return list(HealthQuestion.objects.filter(product__code="accident", active=True))


def _person_number(problems: Problems, name: str, text: object) -> idnumbers.IdNumber | None:
    if not isinstance(text, str) or not text.strip():
        problems.add(name, "id_number.required", _("Enter a personal identity number."))
        return None
    try:
        return idnumbers.parse(text, country="SE", person_only=True)
    except idnumbers.IdNumberError as error:
        problems.add(name, error.code, id_number_message(error))
        return None


@dataclass
class _Checked:
    kind: rules.Kind
    insured: idnumbers.IdNumber
    level: int
    method: rules.PaymentMethod
    period: rules.Period
    start: dt.date
    annual_price: Any
    tariff_id: int
    policy: Policy | None
    text: dict[str, str]
    autogiro: AutogiroAccount | None = None


def _check(
    problems: Problems,
    data: ApplicationInput,
    *,
    holder: idnumbers.IdNumber | None,
    applied_on: dt.date,
    signed_on: dt.date,
    complete_required: bool,
) -> _Checked | None:
    """Every rule of the form that can be checked; problems are collected, not raised."""
    try:
        kind = rules.Kind(data.kind)
    except ValueError:
        problems.add("kind", "application.kind", _("Choose the kind of application."))
        kind = rules.Kind.NEW
    insured = _person_number(problems, "insured_id_number", data.insured_id_number or "")
    text = {
        "insured_given_name": clean_text(
            problems,
            "insured_given_name",
            data.insured_given_name,
            max_length=100,
            required=complete_required,
        ),
        "insured_family_name": clean_text(
            problems,
            "insured_family_name",
            data.insured_family_name,
            max_length=100,
            required=complete_required,
        ),
        "insured_street": clean_text(
            problems, "insured_street", data.insured_street, max_length=100, required=False
        ),
        "insured_postal_code": clean_text(
            problems,
            "insured_postal_code",
            data.insured_postal_code,
            max_length=10,
            required=False,
        ),
        "insured_city": clean_text(
            problems, "insured_city", data.insured_city, max_length=60, required=False
        ),
        "replaced_policy_number": clean_text(
            problems,
            "replaced_policy_number",
            data.replaced_policy_number,
            max_length=20,
            required=False,
        ),
    }
    if complete_required and data.replaces_other is None:
        problems.add(
            "replaces_other",
            "missing.replaces_other",
            _("Answer whether this insurance replaces another insurance."),
        )
    if complete_required and not data.privacy_notice_shown:
        problems.add(
            "privacy_notice_shown",
            "privacy.notice",
            _("Read the information on how we process personal data."),
        )
    method = period = None
    try:
        method, period = rules.check_payment(data.payment_method, data.period)
    except rules.RuleError as error:
        problems.add(error.field, error.code, refusal(error).message)
    policy = None
    if kind in rules.KINDS_ON_A_POLICY:
        policy = Policy.objects.filter(
            number=(data.policy_number or "").strip(), state=PolicyState.ACTIVE
        ).first()
        if policy is None or (holder is not None and policy.policyholder.id_number != holder.value):
            problems.add(
                "policy_number",
                "application.policy",
                _("Give the number of your policy in force that the application concerns."),
            )
            policy = None
    window = rules.start_window(applied_on=applied_on, signed_on=signed_on)
    start = data.start_date or window.earliest
    try:
        window.check(start)
    except rules.RuleError as error:
        problems.add(error.field, error.code, refusal(error).message)
    if insured is None or method is None or period is None:
        return None
    assert insured.birth_date is not None
    try:
        row, tariff = tariff_on(start, field="start_date")
        pbb_for(start.year, field="start_date")
        age = rules.check_age(insured.birth_date, start, tariff)
        level = rules.check_level(data.level, age=age, tariff=tariff)
        if kind is rules.Kind.INCREASE and policy is not None and level <= policy.level:
            problems.add(
                "level",
                "application.increase",
                _("An increase must be to a higher level than the policy's %(level)s.")
                % {"level": policy.level},
            )
        if kind is rules.Kind.CHANGE and policy is not None and level > policy.level:
            problems.add(
                "level",
                "application.change_level",
                _(
                    "A change may lower the level or change the payment; a higher level is an "
                    "increase, with a health declaration."
                ),
            )
        if kind is rules.Kind.REEXAMINATION and policy is not None and level != policy.level:
            problems.add(
                "level",
                "application.reexamination_level",
                _("A re-examination keeps the policy's level of %(level)s.")
                % {"level": policy.level},
            )
    except rules.RuleError as error:
        field_name = "insured_id_number" if error.field == "birth_date" else error.field
        problems.add(field_name, error.code, refusal(error).message)
        return None
    except ValidationFailed as error:
        problems.items.extend(error.problems)
        return None
    return _Checked(
        kind=kind,
        insured=insured,
        level=level,
        method=method,
        period=period,
        start=start,
        annual_price=tariff.prices[level],
        tariff_id=row.pk,
        policy=policy,
        text=text,
    )


def _answers(problems: Problems, data: ApplicationInput, kind: rules.Kind) -> dict[str, ar.Answer]:
    """Online, every question must be answered (and a yes explained) before signing."""
    if kind not in rules.KINDS_WITH_HEALTH_DECLARATION:
        return {}
    result: dict[str, ar.Answer] = {}
    for question in questions():
        given = data.answers.get(question.code)
        name = f"health.{question.code}"
        if given is None or given.yes is None:
            problems.add(name, "missing.answer", _("Answer the question."))
            continue
        detail = clean_text(problems, name, given.detail, max_length=1000, required=False)
        if given.yes and question.detail_on_yes and not detail:
            problems.add(name, "missing.answer_detail", _("Explain your yes."))
        result[question.code] = ar.Answer(given.yes, detail)
    return result


def _payload(checked: _Checked, answers: dict[str, ar.Answer], holder: Party) -> dict[str, Any]:
    """Everything the signature covers: the application and each answer of "Min hälsa"."""
    return {
        "kind": checked.kind.value,
        "policyholder": holder.id_number,
        "insured": checked.insured.value,
        "insured_name": " ".join(
            (checked.text["insured_given_name"], checked.text["insured_family_name"])
        ),
        "level": checked.level,
        "payment_method": checked.method.value,
        "period": checked.period.value,
        "start_date": checked.start.isoformat(),
        "annual_price": str(checked.annual_price),
        "policy": checked.policy.number if checked.policy else "",
        "replaced_policy_number": checked.text["replaced_policy_number"],
        "autogiro_account": checked.autogiro.text if checked.autogiro else "",
        "health": {code: [a.yes, a.detail] for code, a in sorted(answers.items())},
    }


def _online(
    person: Party, data: ApplicationInput
) -> tuple[_Checked, dict[str, ar.Answer], dict[str, Any]]:
    problems = Problems()
    today = clock.today()
    holder = idnumbers.IdNumber(
        kind=idnumbers.IdNumberKind(person.id_kind),
        country=person.country,
        value=person.id_number,
        birth_date=person.birth_date,
    )
    checked = _check(
        problems, data, holder=holder, applied_on=today, signed_on=today, complete_required=True
    )
    autogiro = _autogiro_account(problems, person, data)
    if checked is not None:
        checked.autogiro = autogiro
    # An unknown kind is already a problem of ``kind``; the answers are still checked (as for a
    # new insurance) so that every other problem is named beside it.
    known = {kind.value: kind for kind in rules.Kind}
    kind = checked.kind if checked is not None else known.get(str(data.kind), rules.Kind.NEW)
    answers = _answers(problems, data, kind)
    problems.raise_if_any()
    assert checked is not None
    return checked, answers, _payload(checked, answers, person)


def _autogiro_account(
    problems: Problems, person: Party, data: ApplicationInput
) -> AutogiroAccount | None:
    """The account a new autogiro mandate debits, checked as every mandate's account is (by
    premium billing); asked for when the customer pays by a new autogiro. Left out, the mandate
    is registered on the autogiro page later, as before (decision 0097)."""
    billing = autogiro_billing()
    text = (data.autogiro_account or "").strip()
    if billing is None or not text or data.payment_method != rules.PaymentMethod.AUTOGIRO.value:
        return None
    try:
        return billing.account_check(person.id_number, text)
    except ValidationFailed as error:
        problems.items.extend(error.problems)
        return None


def application_start(*, ctx: AuditContext, person: Party, data: ApplicationInput) -> SigningOrder:
    """Check the online application and create the signing order that covers it."""
    checked, _answered, payload = _online(person, data)
    del _answered
    summary = _(
        "Application for accident insurance, %(level)s price base amounts, for %(name)s "
        "(%(insured)s), from %(start)s; annual price %(price)s, paid %(period)s. I confirm "
        "the answers of the health declaration “Min hälsa”."
    ) % {
        "level": checked.level,
        "name": payload["insured_name"],
        "insured": checked.insured.display(),
        "start": checked.start.isoformat(),
        "price": money_text(checked.annual_price),
        "period": str(PeriodChoice(checked.period.value).label).lower(),
    }
    if checked.autogiro is not None:
        mandate = _(
            "I give %(company)s an autogiro mandate to debit the premiums from account %(account)s."
        ) % {
            "company": settings.TRYGG_COMPANY_NAME,
            "account": account_text(checked.autogiro.clearing, checked.autogiro.account),
        }
        summary = f"{summary} {mandate}"
    return signing_start(
        ctx=ctx,
        signer=person,
        acting_for=person,
        request=SigningRequest(
            function=Function.INSURANCE_APPLICATION,
            payload=payload,
            summary=summary,
            amount_minor=int(checked.annual_price * 100),
            payee=f"accident:{checked.insured.value}",
        ),
    )


def _birth(number: idnumbers.IdNumber) -> dt.date:
    assert number.birth_date is not None
    return number.birth_date


def _next_number() -> str:
    return f"A{counter_next(name='application_number', start=100001)}"


def _fact_answers(application: Application) -> dict[str, ar.Answer]:
    return {
        a.question.code: ar.Answer(a.yes, a.detail, a.corrected, a.correction_signed)
        for a in application.answers.select_related("question")
    }


def _rule_questions() -> list[ar.Question]:
    return [ar.Question(q.code, q.refers_on_yes, q.detail_on_yes) for q in questions()]


def missing_of(application: Application) -> list[ar.Missing]:
    facts = ar.ApplicationFacts(
        kind=rules.Kind(application.kind),
        received_on=application.received_on,
        signed_on=application.signed_on,
        health_signed_on=application.health_signed_on,
        personal_fields={
            "holder_id_number": application.holder_id_number,
            "holder_given_name": application.holder_given_name,
            "holder_family_name": application.holder_family_name,
            "holder_street": application.holder_street,
            "holder_postal_code": application.holder_postal_code,
            "holder_city": application.holder_city,
            "insured_id_number": application.insured_id_number,
            "insured_given_name": application.insured_given_name,
            "insured_family_name": application.insured_family_name,
        },
        questions=_rule_questions(),
        answers=_fact_answers(application),
        replaces_other=application.replaces_other,
    )
    return ar.missing_items(facts)


def _assess(ctx: AuditContext, application: Application) -> None:
    """A complete application: accepted at once when the health declaration raises nothing
    (rules as data: each question's ``refers_on_yes``), else queued for an underwriter."""
    from trygg.insurance.underwriting import application_accept_automatically

    referred = ar.referrals(_rule_questions(), _fact_answers(application))
    if application.kind == ApplicationKind.CHANGE or not referred:
        application_accept_automatically(ctx=ctx, application=application)
        return
    application.referrals = referred
    application_move(ctx, application, ar.Step.REFER, detail={"questions": referred})


def _save_answers(application: Application, answers: dict[str, AnswerInput]) -> None:
    by_code = {q.code: q for q in questions()}
    HealthAnswer.objects.bulk_create(
        [
            HealthAnswer(
                application=application,
                question=by_code[code],
                yes=a.yes,
                detail=a.detail,
                corrected=a.corrected,
                correction_signed=a.correction_signed,
            )
            for code, a in answers.items()
            if code in by_code
        ]
    )


def _contact_of(person: Party) -> dict[str, str]:
    address = next((a for a in person.addresses.all() if a.kind == AddressKind.POSTAL), None)
    contacts = {c.kind: c.value for c in person.contact_methods.all()}
    return {
        "holder_street": address.street if address else "",
        "holder_postal_code": address.postal_code if address else "",
        "holder_city": address.city if address else "",
        "holder_email": contacts.get(ContactKind.EMAIL, ""),
        "holder_mobile": contacts.get(ContactKind.MOBILE, ""),
        "holder_phone_home": contacts.get(ContactKind.HOME_PHONE, ""),
    }


def application_submit(
    *, ctx: AuditContext, person: Party, signing_id: str, data: ApplicationInput
) -> Application:
    """Record the signed online application and assess it. A changed answer, level or any
    other field after signing voids the signature (the customer signs again)."""
    checked, answers, payload = _online(person, data)
    today = clock.today()
    with signed_execution(
        ctx=ctx,
        public_id=signing_id,
        signer=person,
        function=Function.INSURANCE_APPLICATION,
        payload=payload,
    ) as order:
        application = Application(
            number=_next_number(),
            product=product(),
            kind=checked.kind,
            channel=Channel.WEB,
            policy=checked.policy,
            policyholder=person,
            holder_id_number=person.id_number,
            holder_given_name=person.given_name,
            holder_family_name=person.family_name,
            insured_id_number=checked.insured.value,
            insured_birth_date=_birth(checked.insured),
            level=checked.level,
            payment_method=checked.method,
            period=checked.period,
            autogiro_clearing=checked.autogiro.clearing if checked.autogiro else "",
            autogiro_account=checked.autogiro.account if checked.autogiro else "",
            autogiro_bank=checked.autogiro.bank if checked.autogiro else "",
            start_date=checked.start,
            replaces_other=data.replaces_other,
            applied_on=today,
            received_on=today,
            signed_on=today,
            health_signed_on=today if answers else None,
            signing_method=order.method,
            signing_id=order.public_id,
            privacy_notice_shown=True,
            company_code=product().company_code,
            tariff_id=checked.tariff_id,
            annual_price=checked.annual_price,
            created_at=clock.now(),
            **checked.text,
            **_contact_of(person),
        )
        application_move(ctx, application, ar.Step.RECEIVE, note="signed online")
        _save_answers(
            application, {code: AnswerInput(a.yes, a.detail) for code, a in answers.items()}
        )
        application_move(ctx, application, ar.Step.SUBMIT)
        _assess(ctx, application)
    return application


def _paper_text(problems: Problems, data: PaperInput) -> dict[str, str]:
    return {
        "holder_given_name": clean_text(
            problems, "holder_given_name", data.holder_given_name, max_length=100, required=False
        ),
        "holder_family_name": clean_text(
            problems,
            "holder_family_name",
            data.holder_family_name,
            max_length=100,
            required=False,
        ),
        "holder_street": clean_text(
            problems, "holder_street", data.holder_street, max_length=100, required=False
        ),
        "holder_postal_code": clean_text(
            problems,
            "holder_postal_code",
            data.holder_postal_code,
            max_length=10,
            required=False,
        ),
        "holder_city": clean_text(
            problems, "holder_city", data.holder_city, max_length=60, required=False
        ),
        "holder_phone_home": clean_phone(
            problems, "holder_phone_home", data.holder_phone_home, region="SE", required=False
        ),
        "holder_phone_work": clean_phone(
            problems, "holder_phone_work", data.holder_phone_work, region="SE", required=False
        ),
        "holder_mobile": clean_phone(
            problems, "holder_mobile", data.holder_mobile, region="SE", required=False
        ),
        "holder_email": clean_email(problems, "holder_email", data.holder_email, required=False),
        "seller_code": clean_text(
            problems, "seller_code", data.seller_code, max_length=20, required=False
        ),
        "seller_name": clean_text(
            problems, "seller_name", data.seller_name, max_length=100, required=False
        ),
        "seller_phone": clean_text(
            problems, "seller_phone", data.seller_phone, max_length=30, required=False
        ),
        "seller_address": clean_text(
            problems, "seller_address", data.seller_address, max_length=200, required=False
        ),
    }


def paper_application_register(*, ctx: AuditContext, data: PaperInput) -> Application:
    """Enter a paper application as it arrived. Fields the rules can check are refused with
    their rule; what the applicant left out makes the application incomplete: it is kept and
    returned with a letter listing exactly what is missing."""
    problems = Problems()
    received = data.received_on or clock.today()
    if received > clock.today():
        problems.add("received_on", "received_on.future", _("The arrival stamp is in the future."))
    holder = _person_number(problems, "holder_id_number", data.holder_id_number)
    text = _paper_text(problems, data)
    if data.letter_via_seller and not text["seller_address"]:
        problems.add(
            "seller_address",
            "seller.address",
            _("Give the seller's address when the policy letter goes via the seller."),
        )
    applied_on = data.signed_on or received
    checked = _check(
        problems,
        data.application,
        holder=holder,
        applied_on=applied_on,
        signed_on=data.signed_on or received,
        complete_required=False,
    )
    known = {q.code for q in questions()}
    for code in data.application.answers:
        if code not in known:
            problems.add(f"health.{code}", "health.unknown", _("No such question."))
    problems.raise_if_any()
    assert checked is not None and holder is not None
    with transaction.atomic():
        application = Application(
            number=_next_number(),
            product=product(),
            kind=checked.kind,
            channel=Channel.PAPER,
            policy=checked.policy,
            holder_id_number=holder.value,
            insured_id_number=checked.insured.value,
            insured_birth_date=_birth(checked.insured),
            level=checked.level,
            payment_method=checked.method,
            period=checked.period,
            start_date=checked.start,
            replaces_other=data.application.replaces_other,
            applied_on=applied_on,
            received_on=received,
            signed_on=data.signed_on,
            health_signed_on=data.health_signed_on,
            signing_method="paper" if data.signed_on else "",
            privacy_notice_shown=True,  # printed on the form above the signature
            letter_via_seller=data.letter_via_seller,
            company_code=product().company_code,
            tariff_id=checked.tariff_id,
            annual_price=checked.annual_price,
            created_at=clock.now(),
            **checked.text,
            **text,
        )
        application_move(ctx, application, ar.Step.RECEIVE, note="paper form")
        _save_answers(application, data.application.answers)
        _completeness(ctx, application)
    return application


def _completeness(ctx: AuditContext, application: Application) -> None:
    missing = missing_of(application)
    if missing:
        application.missing = [
            {"code": m.code, "field": m.field, "params": dict(m.params or {})} for m in missing
        ]
        application_move(
            ctx,
            application,
            ar.Step.RETURN,
            note="returned as incomplete",
            detail={"missing": application.missing},
        )
        return
    application.missing = []
    application_move(ctx, application, ar.Step.SUBMIT)
    _assess(ctx, application)


def paper_application_supplement(
    *,
    ctx: AuditContext,
    application_id: int,
    received_on: dt.date,
    signed_on: dt.date | None = None,
    health_signed_on: dt.date | None = None,
    answers: dict[str, AnswerInput] | None = None,
    fields: dict[str, str] | None = None,
    replaces_other: bool | None = None,
) -> Application:
    """The returned form comes back completed: record what was added, check again."""
    with transaction.atomic():
        application = Application.objects.select_for_update().filter(pk=application_id).first()
        if application is None:
            raise NotFound(_("No such application."), code="application.not_found")
        if application.state != ApplicationState.RETURNED:
            raise ValidationFailed(
                code="application.state",
                field="state",
                message=_("Only a returned application can be supplemented."),
            )
        problems = Problems()
        allowed = {
            "holder_given_name",
            "holder_family_name",
            "holder_street",
            "holder_postal_code",
            "holder_city",
            "insured_given_name",
            "insured_family_name",
        }
        for name, value in (fields or {}).items():
            if name not in allowed:
                problems.add(name, "field.unknown", _("This field cannot be supplemented."))
                continue
            setattr(application, name, clean_text(problems, name, value, max_length=100))
        problems.raise_if_any()
        application.received_on = received_on
        if signed_on is not None:
            application.signed_on = signed_on
            application.signing_method = "paper"
        if health_signed_on is not None:
            application.health_signed_on = health_signed_on
        if replaces_other is not None:
            application.replaces_other = replaces_other
        by_code = {q.code: q for q in questions()}
        for code, given in (answers or {}).items():
            if code in by_code:
                HealthAnswer.objects.update_or_create(
                    application=application,
                    question=by_code[code],
                    defaults={
                        "yes": given.yes,
                        "detail": given.detail,
                        "corrected": given.corrected,
                        "correction_signed": given.correction_signed,
                    },
                )
        _completeness(ctx, application)
    return application


def applications_of(*, ctx: AuditContext, person: Party) -> list[Application]:
    rows = list(
        Application.objects.filter(policyholder=person)
        .select_related("policy")
        .order_by("-created_at")[:50]
    )
    if rows:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=person.pk,
            object_type="application",
            object_id=",".join(str(a.pk) for a in rows[:20]),
        )
    return rows
