"""Applications online and on paper: signing, completeness, automatic and manual underwriting,
four eyes on a decline, and the policy that results."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from tests.banking.conftest import sign
from tests.conftest import Customer
from tests.insurance.conftest import apply_online, no_to_all, online_input, underwriter
from trygg.insurance import underwriting
from trygg.insurance.applications import (
    AnswerInput,
    ApplicationInput,
    PaperInput,
    application_start,
    application_submit,
    paper_application_register,
    paper_application_supplement,
)
from trygg.insurance.letters import policy_letter, return_letter
from trygg.insurance.models import Application, ApplicationState, Policy
from trygg.insurance.policies import policy_cancel, term_schedule
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import NotFound, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def test_signed_application_without_health_remarks_is_accepted_and_issued(
    applicant: Customer,
) -> None:
    application = apply_online(applicant, online_input(applicant))
    assert application.state == ApplicationState.ACCEPTED
    assert application.signing_method == "token"
    policy = application.policy
    assert policy is not None and policy.state == "active"
    assert policy.start_date == dt.date(2026, 12, 1)
    assert policy.renewal_date == dt.date(2027, 12, 1)
    term = policy.terms.get()
    assert term.pbb_year == 2026 and term.base_amount == Decimal("1776000")
    assert term.annual_price == Decimal("1322") and term.tariff.version == "2016-1"
    instalments = term_schedule(term)
    assert len(instalments) == 12
    assert sum(i.amount for i in instalments) == Decimal("1322")
    assert instalments[1].period_start == dt.date(2027, 1, 1)
    assert [e.state_to for e in application.events.all()] == [
        "received",
        "submitted",
        "accepted",
    ]


def test_a_yes_in_the_health_declaration_goes_to_an_underwriter(applicant: Customer) -> None:
    answers = {**no_to_all(), "back_joints": AnswerInput(True, "Ryggskott 2024, sjukgymnastik")}
    application = apply_online(applicant, online_input(applicant, answers=answers))
    assert application.state == ApplicationState.REFERRED
    assert application.referrals == ["back_joints"]
    assert application.policy is None
    policy = underwriting.application_accept(
        ctx=SYSTEM,
        user=underwriter("uw1"),
        application_id=application.pk,
        exclusion="Besvär från rygg och nacke omfattas inte.",
    )
    assert policy.exclusion == "Besvär från rygg och nacke omfattas inte."
    assert b"%PDF" in policy_letter(policy, on=dt.date(2026, 11, 22))[:8]


def test_a_yes_must_be_explained_and_every_question_answered(applicant: Customer) -> None:
    answers = no_to_all()
    answers["medication"] = AnswerInput(True, "")
    del answers["sick_leave"]
    with pytest.raises(ValidationFailed) as refused:
        application_start(
            ctx=SYSTEM, person=applicant.party, data=online_input(applicant, answers=answers)
        )
    fields = {p.field: p.code for p in refused.value.problems}
    assert fields["health.medication"] == "missing.answer_detail"
    assert fields["health.sick_leave"] == "missing.answer"


def test_rules_are_named_on_the_field(applicant: Customer) -> None:
    data = online_input(
        applicant,
        level=50,
        insured_id_number="19700101-0000",
        payment_method="invoice",
        period="monthly",
        start_date=dt.date(2027, 3, 1),
    )
    with pytest.raises(ValidationFailed) as refused:
        application_start(ctx=SYSTEM, person=applicant.party, data=data)
    fields = {p.field: p.code for p in refused.value.problems}
    assert fields["period"] == "payment.invoice_period"
    assert fields["start_date"] == "start_date.too_late"
    assert "insured_id_number" in fields
    assert Application.objects.count() == 0


def test_a_changed_answer_after_signing_voids_the_signature(applicant: Customer) -> None:
    data = online_input(applicant)
    order = application_start(ctx=SYSTEM, person=applicant.party, data=data)
    sign(applicant, order)
    changed = dataclasses.replace(
        data, answers={**no_to_all(), "risk_sports": AnswerInput(False, "")}
    )
    assert changed.answers == data.answers  # same answers: still valid ...
    changed = dataclasses.replace(
        data, answers={**no_to_all(), "risk_sports": AnswerInput(True, "Klättring")}
    )
    with pytest.raises(ValidationFailed) as refused:
        application_submit(
            ctx=SYSTEM, person=applicant.party, signing_id=order.public_id, data=changed
        )
    assert refused.value.code == "signing.mismatch"
    assert Application.objects.count() == 0
    with pytest.raises(ValidationFailed):  # the signature is void for the original too
        application_submit(
            ctx=SYSTEM, person=applicant.party, signing_id=order.public_id, data=data
        )


def test_the_insured_may_be_another_person(applicant: Customer) -> None:
    data = online_input(
        applicant,
        insured_id_number="19900307-2387",
        insured_given_name="Lisa",
        insured_family_name="Berg",
        level=50,
    )
    application = apply_online(applicant, data)
    policy = application.policy
    assert policy is not None
    assert policy.policyholder == applicant.party
    assert policy.insured.id_number == "199003072387"
    assert policy.insured.given_name == "Lisa"


def test_decline_needs_a_second_underwriter(applicant: Customer) -> None:
    answers = {**no_to_all(), "disability": AnswerInput(True, "Invaliditet 15 % 2019")}
    application = apply_online(applicant, online_input(applicant, answers=answers))
    first, second = underwriter("uw1"), underwriter("uw2")
    underwriting.application_decline_propose(
        ctx=SYSTEM, user=first, application_id=application.pk, reasons="Tidigare invaliditet."
    )
    with pytest.raises(PermissionDenied):
        underwriting.application_decline_confirm(
            ctx=SYSTEM, user=first, application_id=application.pk
        )
    application.refresh_from_db()
    assert application.state == ApplicationState.DECLINE_PROPOSED
    underwriting.application_decline_confirm(ctx=SYSTEM, user=second, application_id=application.pk)
    application.refresh_from_db()
    assert application.state == ApplicationState.DECLINED
    assert application.decided_by == second and application.proposed_by == first
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(decided_by=first)


def _proposed_decline(applicant: Customer) -> tuple[Application, Any, Any]:
    answers = {**no_to_all(), "disability": AnswerInput(True, "Invaliditet 15 % 2019")}
    application = apply_online(applicant, online_input(applicant, answers=answers))
    first, second = underwriter("uw1"), underwriter("uw2")
    underwriting.application_decline_propose(
        ctx=SYSTEM, user=first, application_id=application.pk, reasons="Tidigare invaliditet."
    )
    return application, first, second


SIDE_DOORS = {
    "confirm": lambda uw, pk: underwriting.application_decline_confirm(
        ctx=SYSTEM, user=uw, application_id=pk
    ),
    "reject": lambda uw, pk: underwriting.application_decline_reject(
        ctx=SYSTEM, user=uw, application_id=pk, note="Jag ångrar mig."
    ),
    "info received": lambda uw, pk: underwriting.application_info_received(
        ctx=SYSTEM, user=uw, application_id=pk, note="Journal inkommen."
    ),
    "accept": lambda uw, pk: underwriting.application_accept(
        ctx=SYSTEM, user=uw, application_id=pk
    ),
    "accept with exclusion": lambda uw, pk: underwriting.application_accept(
        ctx=SYSTEM, user=uw, application_id=pk, exclusion="Ryggen undantas."
    ),
    "ask for more": lambda uw, pk: underwriting.application_request_info(
        ctx=SYSTEM, user=uw, application_id=pk, question="Journal?"
    ),
    "propose again": lambda uw, pk: underwriting.application_decline_propose(
        ctx=SYSTEM, user=uw, application_id=pk, reasons="Andra skäl."
    ),
}


@pytest.mark.parametrize("door", list(SIDE_DOORS))
def test_the_proposer_of_a_decline_cannot_move_the_application(
    applicant: Customer, door: str
) -> None:
    application, first, _second = _proposed_decline(applicant)
    events = application.events.count()
    with pytest.raises(PermissionDenied) as refused:
        SIDE_DOORS[door](first, application.pk)
    assert refused.value.code == "underwriting.four_eyes"
    application.refresh_from_db()
    assert application.state == ApplicationState.DECLINE_PROPOSED
    assert application.proposed_by == first and application.decided_by is None
    assert application.decline_reasons == "Tidigare invaliditet."
    assert application.events.count() == events
    assert not Policy.objects.filter(policyholder=applicant.party).exists()


@pytest.mark.parametrize("door", ["info received", "accept", "ask for more", "propose again"])
def test_a_second_underwriter_has_no_side_door_either(applicant: Customer, door: str) -> None:
    """Only confirm or reject ends a proposed decline: "info received" is no reject in disguise."""
    application, _first, second = _proposed_decline(applicant)
    with pytest.raises(ValidationFailed) as refused:
        SIDE_DOORS[door](second, application.pk)
    assert refused.value.code == "application.state"
    application.refresh_from_db()
    assert application.state == ApplicationState.DECLINE_PROPOSED


def test_rejected_decline_goes_back_to_the_queue_for_anyone(applicant: Customer) -> None:
    application, first, second = _proposed_decline(applicant)
    underwriting.application_decline_reject(
        ctx=SYSTEM, user=second, application_id=application.pk, note="Invaliditeten är läkt."
    )
    application.refresh_from_db()
    assert application.state == ApplicationState.REFERRED and application.proposed_by is None
    # Back in the queue, the first underwriter may decide again.
    policy = underwriting.application_accept(ctx=SYSTEM, user=first, application_id=application.pk)
    assert policy.state == "active"
    steps = list(application.events.order_by("pk").values_list("state_to", flat=True))
    assert steps[-3:] == ["decline_proposed", "referred", "accepted"]


def test_ask_for_more_and_back_to_the_queue(applicant: Customer) -> None:
    answers = {**no_to_all(), "treatment_5y": AnswerInput(True, "Knäoperation 2023")}
    application = apply_online(applicant, online_input(applicant, answers=answers))
    uw = underwriter("uw1")
    underwriting.application_request_info(
        ctx=SYSTEM, user=uw, application_id=application.pk, question="Journal från operationen."
    )
    with pytest.raises(ValidationFailed) as refused:
        underwriting.application_accept(ctx=SYSTEM, user=uw, application_id=application.pk)
    assert refused.value.code == "application.state"
    underwriting.application_info_received(
        ctx=SYSTEM, user=uw, application_id=application.pk, note="Journal inkommen, läkt."
    )
    policy = underwriting.application_accept(ctx=SYSTEM, user=uw, application_id=application.pk)
    assert policy.state == "active"


def _paper(**changes: Any) -> PaperInput:
    application = ApplicationInput(
        kind="new",
        level=20,
        payment_method="invoice",
        period="yearly",
        start_date=None,
        replaces_other=False,
        insured_id_number="19800515-2387",
        insured_given_name="Karin",
        insured_family_name="Holm",
        answers=no_to_all(),
    )
    values: dict[str, Any] = {
        "application": application,
        "holder_id_number": "19800515-2387",
        "holder_given_name": "Karin",
        "holder_family_name": "Holm",
        "holder_street": "Kungsgatan 2",
        "holder_postal_code": "411 19",
        "holder_city": "Göteborg",
        "received_on": dt.date(2026, 11, 20),
        "signed_on": dt.date(2026, 11, 15),
        "health_signed_on": dt.date(2026, 11, 15),
        "seller_code": "S123",
        "seller_name": "Mäklare AB",
    }
    values.update(changes)
    return PaperInput(**values)


def test_complete_paper_application_is_accepted(frozen: Any) -> None:
    application = paper_application_register(ctx=SYSTEM, data=_paper())
    assert application.state == ApplicationState.ACCEPTED
    assert application.company_code == "10" and application.seller_code == "S123"
    policy = application.policy
    assert policy is not None and policy.start_date == dt.date(2026, 11, 16)
    assert policy.policyholder.id_number == "198005152387"


def test_incomplete_paper_application_is_returned_with_what_is_missing(frozen: Any) -> None:
    answers = no_to_all()
    del answers["medication"]
    answers["sick_leave"] = AnswerInput(False, corrected=True, correction_signed=False)
    data = _paper(
        application=dataclasses.replace(_paper().application, answers=answers),
        signed_on=dt.date(2026, 11, 1),  # 19 days before it arrived
        health_signed_on=None,
        holder_street="",
    )
    application = paper_application_register(ctx=SYSTEM, data=data)
    assert application.state == ApplicationState.RETURNED
    missing = {(m["code"], m["field"]) for m in application.missing}
    assert missing == {
        ("missing.field", "holder_street"),
        ("signature.too_old", "signed_on"),
        ("missing.health_signature", "health_signed_on"),
        ("missing.answer", "health.medication"),
        ("missing.correction_signature", "health.sick_leave"),
    }
    assert application.policy is None
    assert return_letter(application, on=dt.date(2026, 11, 22)).startswith(b"%PDF")
    # The completed form comes back.
    application = paper_application_supplement(
        ctx=SYSTEM,
        application_id=application.pk,
        received_on=dt.date(2026, 11, 22),
        signed_on=dt.date(2026, 11, 21),
        health_signed_on=dt.date(2026, 11, 21),
        answers={
            "medication": AnswerInput(False),
            "sick_leave": AnswerInput(False, corrected=True, correction_signed=True),
        },
        fields={"holder_street": "Kungsgatan 2"},
    )
    assert application.state == ApplicationState.ACCEPTED
    assert [e.state_to for e in application.events.all()] == [
        "received",
        "returned",
        "submitted",
        "accepted",
    ]


def test_paper_application_refuses_what_breaks_a_rule(frozen: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        paper_application_register(
            ctx=SYSTEM, data=_paper(holder_id_number="19800515-2388", holder_email="not-an-email")
        )
    fields = {p.field for p in refused.value.problems}
    assert {"holder_id_number", "holder_email"} <= fields
    assert Application.objects.count() == 0


def test_cancellation_drops_premiums_after_the_end(applicant: Customer) -> None:
    policy = apply_online(applicant, online_input(applicant)).policy
    assert policy is not None
    policy_cancel(ctx=SYSTEM, person=applicant.party, policy_id=policy.pk, on=dt.date(2027, 4, 1))
    policy.refresh_from_db()
    assert policy.state == "cancelled" and policy.ended_on == dt.date(2027, 4, 1)
    term = policy.terms.get()
    assert term.ends_on == dt.date(2027, 4, 1)
    schedule = term_schedule(term)
    assert [i.period_start.month for i in schedule] == [12, 1, 2, 3]
    # 4 of 1322 in 12 instalments; the first 8 carry an öre more
    assert sum(i.amount for i in schedule) == Decimal("440.68")


def test_another_customer_cannot_cancel(applicant: Customer, other_customer: Customer) -> None:
    policy = apply_online(applicant, online_input(applicant)).policy
    assert policy is not None
    with pytest.raises(NotFound) as refused:
        policy_cancel(
            ctx=SYSTEM, person=other_customer.party, policy_id=policy.pk, on=dt.date(2027, 1, 1)
        )
    assert getattr(refused.value, "status", None) == 404
    assert Policy.objects.get(pk=policy.pk).state == "active"


def test_increase_amends_the_policy_from_its_start(applicant: Customer) -> None:
    policy = apply_online(applicant, online_input(applicant, level=20)).policy
    assert policy is not None
    increase = online_input(
        applicant,
        kind="increase",
        level=40,
        policy_number=policy.number,
        start_date=dt.date(2026, 12, 15),
    )
    with pytest.raises(ValidationFailed):
        apply_online(applicant, dataclasses.replace(increase, level=10))
    application = apply_online(applicant, increase)
    assert application.state == ApplicationState.ACCEPTED
    policy.refresh_from_db()
    assert policy.level == 40
    terms = list(policy.terms.order_by("starts_on"))
    assert [(t.starts_on, t.ends_on) for t in terms] == [
        (dt.date(2026, 12, 1), dt.date(2026, 12, 15)),
        (dt.date(2026, 12, 15), dt.date(2028, 1, 1)),  # the broken month and 12 whole
    ]
    assert terms[1].annual_price == Decimal("1698")


def test_decrease_and_payment_change_without_health_declaration(applicant: Customer) -> None:
    policy = apply_online(applicant, online_input(applicant, level=40)).policy
    assert policy is not None
    change = online_input(
        applicant,
        kind="change",
        level=50,
        policy_number=policy.number,
        payment_method="invoice",
        period="yearly",
        answers={},
        start_date=dt.date(2026, 12, 20),
    )
    with pytest.raises(ValidationFailed) as refused:
        apply_online(applicant, change)
    assert refused.value.code == "application.change_level"
    application = apply_online(applicant, dataclasses.replace(change, level=20))
    assert application.state == ApplicationState.ACCEPTED
    policy.refresh_from_db()
    assert (policy.level, policy.payment_method, policy.period) == (20, "invoice", "yearly")
    assert policy.terms.order_by("starts_on").last().annual_price == Decimal("946")


def test_reexamination_lifts_an_exclusion(applicant: Customer) -> None:
    answers = {**no_to_all(), "back_joints": AnswerInput(True, "Ryggskott 2024")}
    application = apply_online(applicant, online_input(applicant, answers=answers))
    uw = underwriter("uw1")
    policy = underwriting.application_accept(
        ctx=SYSTEM, user=uw, application_id=application.pk, exclusion="Rygg omfattas inte."
    )
    review = online_input(
        applicant,
        kind="reexamination",
        policy_number=policy.number,
        start_date=dt.date(2026, 12, 20),
    )
    with pytest.raises(ValidationFailed) as refused:
        apply_online(applicant, dataclasses.replace(review, level=50))
    assert refused.value.code == "application.reexamination_level"
    again = apply_online(applicant, review)  # all answers no: accepted, the clause lifted
    assert again.state == ApplicationState.ACCEPTED
    policy.refresh_from_db()
    assert policy.exclusion == "" and Policy.objects.count() == 1


def test_lapse_on_non_payment(applicant: Customer) -> None:
    from trygg.insurance.policies import policy_lapse

    policy = apply_online(applicant, online_input(applicant)).policy
    assert policy is not None
    policy_lapse(ctx=SYSTEM, policy_id=policy.pk, on=dt.date(2027, 2, 15))
    policy.refresh_from_db()
    assert policy.state == "lapsed" and policy.ended_on == dt.date(2027, 2, 15)
    with pytest.raises(ValidationFailed):
        policy_lapse(ctx=SYSTEM, policy_id=policy.pk, on=dt.date(2027, 3, 1))
