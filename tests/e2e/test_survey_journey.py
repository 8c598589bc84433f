"""A satisfaction survey in a real browser (seed 003): sent by e-mail after a closed matter, the
customer answers it from the link in the message (very dissatisfied: a callback is opened),
then objects to surveys through the signed link in the same message; no survey goes to them
after that, and My pages say so."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail

from tests.conftest import make_customer
from trygg.contact import services
from trygg.contact.models import CallbackTask, Objection, Survey
from trygg.identity.models import StaffUser
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import ValidationFailed


def _path(body: str, where: str) -> str:
    """The path and query of the link to ``where`` in a message (the live server's host and
    port differ from the public address the message names)."""
    (url,) = re.findall(rf"https?://\S+/contact/{where}/\?t=\S+", body)
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _ask(agent: StaffUser, party: Any) -> Survey:
    return services.survey_request(
        ctx=SYSTEM,
        matter="Skada 2026-0042",
        employee=agent,
        team="Kundtjänst Stockholm",
        controller="Länsförsäkringar Stockholm",
        channel="email",
        contact_detail="Sara.Holm@Example.se",
        party=party,
    )


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_survey_answered_then_objected_to(page: Any) -> None:
    customer = make_customer(given="Sara", family="Holm", pin="5173")
    agent = StaffUser.objects.create_user(username="kundtjanst.karl", is_staff=True)
    survey = _ask(agent, customer.party)
    assert services.outbox_send()["sent"] == 1
    (message,) = mail.outbox
    assert message.to == ["Sara.Holm@Example.se"]
    answer, objection = _path(message.body, "survey"), _path(message.body, "objection/link")

    # The answer: very dissatisfied, not resolved, a comment beyond the standard questions.
    page.goto(answer)
    assert "Hur hanterade vi ditt ärende?" in page.locator("h1").inner_text()
    survey.refresh_from_db()
    assert survey.state == "sent"  # reading the page changes nothing
    page.check("input[name=satisfaction][value='1']")
    page.check("input[name=resolved][value=no]")
    page.check("input[name=nps][value='2']")
    page.fill("textarea[name=free_text]", "Ingen ringde tillbaka.")
    page.locator("main button[type=submit]").click()
    assert "Tack för ditt svar." in page.locator("main").inner_text()
    survey.refresh_from_db()
    assert (survey.state, survey.satisfaction, survey.resolved, survey.nps) == (
        "answered",
        1,
        False,
        2,
    )
    assert survey.free_text == "Ingen ringde tillbaka."
    assert CallbackTask.objects.filter(survey=survey, done_at__isnull=True).exists()
    # Answered once: the link says so and offers no form to change the answer.
    page.goto(answer)
    assert "Undersökningen är redan besvarad." in page.locator("main .alert.error").inner_text()
    assert page.locator("main form").count() == 0
    survey.refresh_from_db()
    assert survey.nps == 2

    # The objection through the link: the page says what it does, the button records it.
    page.goto(objection)
    assert not Objection.objects.exists()  # reading the page changes nothing
    page.get_by_role("button", name="Avböj undersökningar").click()
    assert "Din invändning är registrerad" in page.locator("main").inner_text()
    (recorded,) = Objection.objects.all()
    assert recorded.party == customer.party and recorded.source == "link"

    # No survey to the person any more, by their customer or their address in any case.
    with pytest.raises(ValidationFailed) as refused:
        _ask(agent, customer.party)
    assert refused.value.code == "survey.objected"
    with pytest.raises(ValidationFailed):
        _ask(agent, None)
    assert Survey.objects.count() == 1

    # My pages show the objection, with where it came from.
    page.goto("/login/")
    page.fill("input[name=id_number]", customer.id_number)
    page.fill("input[name=pin]", customer.pin)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url("**/overview/")
    page.goto("/my-data/")
    page.get_by_role("link", name="Avböj undersökningar").click()
    page.wait_for_url("**/contact/objection/")
    shown = page.locator("main").inner_text()
    assert "Du avböjde" in shown and "Vi skickar inga undersökningar till dig." in shown
    assert page.get_by_role("button", name="Avböj undersökningar").count() == 0
