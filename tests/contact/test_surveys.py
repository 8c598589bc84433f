"""Satisfaction surveys (seed 003): asked only of a person who has not objected, sent through
the outbox (e-mail over SMTP, SMS over the gateway's HTTP API, both against the local
simulators), the objection checked again at send time, answered once with a unique response id,
a very dissatisfied answer called back, free text gone after 12 months and the rest after 18,
statistics per team and month."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import Customer
from tests.contact.conftest import staff, staff_client
from trygg.contact import links, selectors, services
from trygg.contact.models import CallbackTask, Objection, OutboxMessage, Survey
from trygg.identity.models import StaffUser
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import ValidationFailed
from trygg.privacy.services import retention_run
from trygg.simulators.sms.server import SmsGateway
from trygg.simulators.smtp.server import SmtpSink

D = dt.date
# Local simulators on fixed ports, 9161 and up: one pair per test worker.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
SMS_PORT = 9161 + 2 * _WORKER
SMTP_PORT = 9162 + 2 * _WORKER


@pytest.fixture
def gateway(settings: Any) -> Iterator[SmsGateway]:
    server = SmsGateway(SMS_PORT).start()
    settings.TRYGG_SMS_URL = server.url
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def agent(db: Any) -> StaffUser:
    return staff("skador.sara", "customer_service")


def ask(agent: StaffUser, contact: str = "kalle@example.se", **kwargs: Any) -> Survey:
    values: dict[str, Any] = {
        "matter": "Skada 2026-0042",
        "team": "Skador Stockholm",
        "controller": "Länsförsäkringar Stockholm",
        "channel": "email",
        "contact_detail": contact,
        **kwargs,
    }
    return services.survey_request(ctx=SYSTEM, employee=agent, **values)


def sent(agent: StaffUser, **kwargs: Any) -> Survey:
    survey = ask(agent, **kwargs)
    services.outbox_send()
    survey.refresh_from_db()
    assert survey.state == "sent"
    return survey


def test_an_email_survey_goes_out_with_its_two_signed_links(agent: StaffUser) -> None:
    survey = ask(agent)
    assert survey.state == "queued" and len(mail.outbox) == 0  # sent after, not during
    assert services.outbox_send()["sent"] == 1
    (message,) = mail.outbox
    assert message.to == ["kalle@example.se"]
    assert "Länsförsäkringar Stockholm" in message.body  # the company that asks is named
    answer, objection = re.findall(r"https?://\S+", message.body)
    assert links.answer_target(answer.split("t=")[1]) == survey.response_id
    assert links.objection_target(objection.split("t=")[1]) == survey.response_id
    assert "kalle" not in answer + objection  # the links name no person
    survey.refresh_from_db()
    assert survey.state == "sent" and survey.sent_at is not None
    assert services.outbox_send()["sent"] == 0  # sent once


def test_an_sms_survey_through_the_gateway(agent: StaffUser, gateway: SmsGateway) -> None:
    survey = ask(agent, "070-123 45 67", channel="sms")
    assert services.outbox_send()["sent"] == 1
    (sms,) = gateway.sent
    assert sms["to"] == "+46701234567" and sms["from"] == "trygg"
    assert "/contact/survey/?t=" in sms["message"]
    message = OutboxMessage.objects.get(survey=survey)
    assert message.provider_id == sms["id"]


def test_a_gateway_failure_is_retried_then_given_up(agent: StaffUser, gateway: SmsGateway) -> None:
    survey = ask(agent, "+46701234567", channel="sms")
    gateway.fail_next = 1
    assert services.outbox_send()["retry"] == 1
    assert services.outbox_send()["sent"] == 1
    assert len(gateway.sent) == 1
    survey.refresh_from_db()
    assert survey.state == "sent"
    other = ask(agent, "+46701234568", channel="sms")
    gateway.fail_next = 99
    for _ in range(5):
        services.outbox_send()
    other.refresh_from_db()
    assert other.state == "failed"
    assert OutboxMessage.objects.get(survey=other).attempts == 5


def test_email_over_smtp_to_the_sink(agent: StaffUser, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", SMTP_PORT
    sink = SmtpSink(SMTP_PORT).start()
    try:
        ask(agent)
        assert services.outbox_send()["sent"] == 1
    finally:
        sink.stop()
    (received,) = sink.messages
    assert received.recipients == ("kalle@example.se",)
    assert "/contact/objection/link/?t=" in received.text


def test_no_survey_to_a_person_who_objected(agent: StaffUser, customer: Customer) -> None:
    services.objection_record(ctx=SYSTEM, source="my-pages", party=customer.party)
    with pytest.raises(ValidationFailed) as error:
        ask(agent, party=customer.party)
    assert error.value.code == "survey.objected" and error.value.field == "contact_detail"
    services.objection_record(ctx=SYSTEM, source="link", contact_detail="Olle@Example.se")
    with pytest.raises(ValidationFailed):
        ask(agent, "olle@example.se")
    assert not Survey.objects.exists() and not OutboxMessage.objects.exists()


def test_an_objection_stops_every_queued_survey_at_once(
    agent: StaffUser, customer: Customer
) -> None:
    first = ask(agent, party=customer.party)
    second = ask(agent, "+46701234567", channel="sms", party=customer.party)
    other = ask(agent, "someone@example.se")
    services.objection_record(ctx=SYSTEM, source="customer-service", party=customer.party)
    assert set(Survey.objects.filter(state="stopped").values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert services.outbox_send()["sent"] == 1  # only the other person's
    assert [m.to for m in mail.outbox] == [["someone@example.se"]]
    other.refresh_from_db()
    assert other.state == "sent"


def test_the_sender_checks_objections_at_send_time(agent: StaffUser) -> None:
    ask(agent, "kalle@example.se")
    ask(agent, "lisa@example.se")
    # An objection that reached the table some other way than the service (an import, another
    # process between request and send): the sender still honours it.
    Objection.objects.create(
        contact_detail="kalle@example.se", source="link", received_at=clock.now(), recorded_by="x"
    )
    counts = services.outbox_send()
    assert counts["stopped"] == 1 and counts["sent"] == 1
    assert [m.to for m in mail.outbox] == [["lisa@example.se"]]


@pytest.mark.parametrize(
    ("request_kwargs", "field"),
    [
        ({"channel": "fax"}, "channel"),
        ({"contact_detail": "not-an-address"}, "contact_detail"),
        ({"channel": "sms", "contact_detail": "12"}, "contact_detail"),
        ({"channel": "call", "contact_detail": "kalle@example.se"}, "contact_detail"),
        ({"team": " "}, "team"),
    ],
)
def test_a_bad_request_names_its_field(agent: StaffUser, request_kwargs: Any, field: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        ask(agent, **request_kwargs)
    assert field in {p.field for p in error.value.problems}
    assert not Survey.objects.exists()


def test_answered_once_from_the_link(agent: StaffUser, customer: Customer) -> None:
    survey = sent(agent, party=customer.party)
    token = links.answer_token(response_id=survey.response_id)
    client = Client()
    page = client.get("/contact/survey/", {"t": token})
    assert page.status_code == 200 and "recommend" in page.content.decode()
    survey.refresh_from_db()
    assert survey.state == "sent"  # a GET changes nothing
    bad = client.post("/contact/survey/", {"t": token, "nps": "", "satisfaction": "4"})
    assert bad.status_code == 200 and "0 to 10" in bad.content.decode()
    answer = {"t": token, "nps": "9", "satisfaction": "4", "resolved": "yes", "free_text": "Bra!"}
    done = client.post("/contact/survey/", answer)
    assert "Thank you for your answer" in done.content.decode()
    survey.refresh_from_db()
    assert (survey.state, survey.nps, survey.satisfaction, survey.resolved) == (
        "answered",
        9,
        4,
        True,
    )
    assert survey.free_text == "Bra!" and survey.party == customer.party
    again = client.post("/contact/survey/", {**answer, "nps": "0"})
    assert "already answered" in again.content.decode()
    survey.refresh_from_db()
    assert survey.nps == 9
    assert not CallbackTask.objects.exists()


def test_a_tampered_answer_link_is_refused(agent: StaffUser) -> None:
    survey = sent(agent)
    token = links.answer_token(response_id=survey.response_id)
    response = Client().post("/contact/survey/", {"t": token + "x", "nps": "1"})
    assert response.status_code == 400 and "not valid" in response.content.decode()


def test_a_very_dissatisfied_answer_is_called_back(agent: StaffUser) -> None:
    survey = sent(agent)
    services.survey_answer(
        ctx=SYSTEM, response_id=survey.response_id, nps=2, satisfaction=1, resolved=False
    )
    task = CallbackTask.objects.get(survey=survey)
    clerk = staff_client(agent)
    url = f"/backoffice/contact/callbacktask/{task.pk}/done/"
    assert clerk.post(url, {"outcome": ""}).status_code == 200
    assert clerk.post(url, {"outcome": "Called; the payout was late, now paid."}).status_code == 302
    task.refresh_from_db()
    assert task.done_by == agent and task.done_at is not None


def test_free_text_goes_after_12_months_the_rest_after_18(
    agent: StaffUser, frozen: Any, customer: Customer
) -> None:
    answered = sent(agent, party=customer.party)
    services.survey_answer(
        ctx=SYSTEM,
        response_id=answered.response_id,
        nps=10,
        satisfaction=5,
        resolved=True,
        free_text="Thanks to Sara!",
    )
    never = sent(agent, contact="someone@example.se")  # asked 22 November 2026, never answered

    def run(on: D) -> None:
        with clock.business_date(on):
            retention_run(ctx=SYSTEM, on=on)

    run(D(2027, 11, 21))
    answered.refresh_from_db()
    assert answered.free_text == "Thanks to Sara!"
    run(D(2027, 11, 22))
    answered.refresh_from_db()
    assert answered.free_text == "" and answered.nps == 10  # the comment gone, the answer kept
    run(D(2028, 5, 21))
    assert Survey.objects.count() == 2
    run(D(2028, 5, 22))
    assert not Survey.objects.filter(pk__in=[answered.pk, never.pk]).exists()
    assert not OutboxMessage.objects.exists()


def test_statistics_per_team_and_month(agent: StaffUser) -> None:
    other = staff("bank.bo")
    answers = [
        (agent, "Skador", 10, 5, True),
        (agent, "Skador", 9, 4, True),
        (agent, "Skador", 3, 1, False),
        (other, "Bank", 7, 3, True),
    ]
    for employee, team, nps, satisfaction, resolved in answers:
        survey = sent(employee, team=team)
        services.survey_answer(
            ctx=SYSTEM,
            response_id=survey.response_id,
            nps=nps,
            satisfaction=satisfaction,
            resolved=resolved,
        )
    month = f"{clock.now().astimezone(dt.timezone(dt.timedelta(hours=1))):%Y-%m}"
    figures = {f.team: f for f in selectors.survey_statistics()}
    skador = figures["Skador"]
    assert (skador.month, skador.answers, skador.nps, skador.resolved) == (month, 3, 33, 2)
    assert skador.satisfaction == "3,3"  # (5 + 4 + 1) / 3
    assert (figures["Bank"].nps, figures["Bank"].satisfaction) == (0, "3,0")
    page = staff_client(staff("coach.karin", "team_coach")).get(
        "/backoffice/contact/survey/statistics/"
    )
    assert page.status_code == 200 and "Skador" in page.content.decode()


def test_a_survey_by_phone_call(agent: StaffUser, customer: Customer) -> None:
    """Asked in a call: no message goes out; the employee records the answer given, once; a
    person who objected is not called."""
    clerk = staff_client(agent)
    refused = clerk.post(
        "/backoffice/contact/survey/call/",
        {"contact_detail": "070", "matter": "Skada 2026-0042", "team": "T", "controller": "LF"},
    )
    assert refused.status_code == 200 and "phone number" in refused.content.decode()
    assert not Survey.objects.exists()
    asked = clerk.post(
        "/backoffice/contact/survey/call/",
        {
            "contact_detail": "070-123 45 67",
            "customer_number": customer.party.customer_number,
            "matter": "Skada 2026-0042",
            "team": "Skador Stockholm",
            "controller": "Länsförsäkringar Stockholm",
        },
    )
    survey = Survey.objects.get()
    assert asked.status_code == 302
    assert asked["Location"] == f"/backoffice/contact/survey/{survey.pk}/answer/"
    assert (survey.channel, survey.state, survey.party) == ("call", "sent", customer.party)
    assert not OutboxMessage.objects.exists() and services.outbox_send()["sent"] == 0
    url = f"/backoffice/contact/survey/{survey.pk}/answer/"
    assert "recommend" in clerk.get(url).content.decode()
    bad = clerk.post(url, {"satisfaction": "4", "resolved": "yes"})
    assert bad.status_code == 200 and "0 to 10" in bad.content.decode()
    done = clerk.post(url, {"satisfaction": "1", "resolved": "no", "nps": "3", "free_text": ""})
    assert done.status_code == 302
    survey.refresh_from_db()
    assert (survey.state, survey.nps, survey.satisfaction) == ("answered", 3, 1)
    assert CallbackTask.objects.filter(survey=survey).exists()
    again = clerk.post(url, {"satisfaction": "5", "resolved": "yes", "nps": "10"})
    assert again.status_code == 200 and "already answered" in again.content.decode()
    services.objection_record(ctx=SYSTEM, source="customer-service", party=customer.party)
    objected = clerk.post(
        "/backoffice/contact/survey/call/",
        {
            "contact_detail": "0701234567",
            "customer_number": customer.party.customer_number,
            "matter": "Skada 2026-0043",
            "team": "Skador Stockholm",
            "controller": "Länsförsäkringar Stockholm",
        },
    )
    assert "objected" in objected.content.decode() and Survey.objects.count() == 1
    assert staff_client(staff("coach", "team_coach")).get(url).status_code == 403
    by_mail = sent(agent, contact="olle@example.se")
    elsewhere = clerk.post(
        f"/backoffice/contact/survey/{by_mail.pk}/answer/",
        {"satisfaction": "5", "resolved": "yes", "nps": "10"},
    )
    assert elsewhere.status_code == 302
    by_mail.refresh_from_db()
    assert by_mail.state == "sent"
