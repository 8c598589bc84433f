"""Premiums and autogiro in the portal: register a mandate online with the token, see the
payment plan and the next debits, stop one debit, revoke the mandate, download the plan; another
customer sees none of it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.billing.answers import mandate_notices
from tests.billing.conftest import Payer, run_on
from tests.conftest import Customer, confirm_post, csrf_of, portal_login
from tests.test_translations import english_on, english_phrases
from trygg.billing.imports import autogiro_import
from trygg.billing.models import Charge, Mandate, Notice
from trygg.identity.tokens import token_expected_response
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.numbertext import money_text

pytestmark = pytest.mark.django_db


def _sign(client: Client, customer: Customer, sign_url: str) -> Any:
    page = client.get(sign_url).content.decode()
    challenge = re.search(r'id="challenge">(\d+)<', page)
    assert challenge
    token = customer.party.security_tokens.get(state="active")
    return client.post(
        sign_url,
        {
            "response": token_expected_response(token, challenge.group(1)),
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )


def test_register_online_see_the_plan_stop_and_revoke(
    payer: Payer, exchange: Path, other_customer: Customer
) -> None:
    customer = payer.customer
    client = Client(enforce_csrf_checks=True)
    portal_login(client, customer.id_number, customer.pin)
    page = client.get("/autogiro/").content.decode()
    assert payer.policy.number in page
    wrong = client.post(
        "/autogiro/",
        {
            "account": "3300-1212121212",
            "policies": [payer.policy.number],
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    assert wrong.status_code == 422 and "Nordea" in wrong.content.decode()
    response = client.post(
        "/autogiro/",
        {
            "account": payer.nordea_account,
            "bank": "Nordea",
            "policies": [payer.policy.number],
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    sign_url = response["Location"]
    assert sign_url.startswith("/bank/sign/")
    assert payer.nordea_account in client.get(sign_url).content.decode()  # what is signed
    done = _sign(client, customer, sign_url)
    assert done["Location"] == "/autogiro/"
    mandate = Mandate.objects.get()
    assert mandate.channel == "web" and mandate.state == "requested"

    run_on(dt.date(2026, 11, 23))
    inbox = exchange / "from_bankgirot"
    inbox.mkdir(parents=True)
    with clock.business_date(dt.date(2026, 11, 24)):
        autogiro_import(
            ctx=SYSTEM, path=mandate_notices(inbox, dt.date(2026, 11, 24), [(mandate, "32")])
        )
    with clock.business_date(dt.date(2026, 11, 24)):
        page = client.get("/autogiro/").content.decode()
    assert "Aktivt" in page or "Active" in page
    assert "2026-12-03" in page  # the first debit, 8 bank days after the plan
    first = Charge.objects.order_by("due_date").first()
    assert first is not None

    with clock.business_date(dt.date(2026, 11, 24)):
        preview = client.post(
            f"/autogiro/debits/{first.pk}/stop/", {"csrfmiddlewaretoken": csrf_of(client)}
        )
        first.refresh_from_db()
        assert preview.status_code == 200 and first.state == "planned"  # nothing yet
        shown = preview.content.decode()
        assert money_text(first.amount) in shown and first.due_date.isoformat() in shown
        assert "2027-01-" in shown  # the premium is still owed: debited in January
        assert "Stoppa dragningen" in shown and english_on(shown, english_phrases()) == []
        stopped = confirm_post(client, f"/autogiro/debits/{first.pk}/stop/")
    assert stopped.status_code == 302
    first.refresh_from_db()
    assert first.state == "stopped"
    # Still owed: added to January's debit, and a new plan tells the payer.
    january = Charge.objects.get(period_start=dt.date(2027, 1, 1))
    assert january.carried == first.amount and january.fee == 0
    assert Notice.objects.filter(kind="plan", charges=january).exists()

    plan = Notice.objects.filter(kind="plan").earliest("pk")
    pdf = client.get(f"/autogiro/notices/{plan.pk}/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    with clock.business_date(dt.date(2026, 11, 24)):
        preview = client.post(
            f"/autogiro/mandates/{mandate.pk}/revoke/", {"csrfmiddlewaretoken": csrf_of(client)}
        )
        mandate.refresh_from_db()
        assert preview.status_code == 200 and mandate.state == "active"  # nothing yet
        assert not mandate.events.filter(state_to="revoked").exists()
        assert "3300-" in preview.content.decode()  # the account the mandate debits
        confirm_post(client, f"/autogiro/mandates/{mandate.pk}/revoke/")
    mandate.refresh_from_db()
    assert mandate.state == "revoked"

    stranger = Client(enforce_csrf_checks=True)
    portal_login(stranger, other_customer.id_number, other_customer.pin)
    assert stranger.get(f"/autogiro/notices/{plan.pk}/").status_code == 404
    assert payer.policy.number not in stranger.get("/autogiro/").content.decode()
    second = Charge.objects.order_by("due_date")[1]
    refused = stranger.post(
        f"/autogiro/debits/{second.pk}/stop/", {"csrfmiddlewaretoken": csrf_of(stranger)}
    )
    assert refused.status_code == 302
    second.refresh_from_db()
    assert second.state == "planned"


def test_earlier_premiums_show_the_retry_that_paid(payer: Payer, exchange: Path) -> None:
    """A debit refused for lack of funds and paid when ordered again: the customer sees it paid,
    on which day, after two attempts."""
    import json

    from tests.billing.conftest import register
    from tests.billing.test_months_through_simulator import _play

    with clock.business_date(dt.date(2026, 11, 23)):
        mandate = register(payer)
    exchange.mkdir(parents=True, exist_ok=True)
    (exchange / "scenario.json").write_text(
        json.dumps({"payments": {mandate.payer_number: ["insufficient_funds", "approved"]}}),
        encoding="utf-8",
    )
    _play(exchange, dt.date(2026, 11, 23), dt.date(2026, 12, 10))
    december = Charge.objects.get(policy=payer.policy, period_start=dt.date(2026, 12, 1))
    assert december.state == "paid" and december.attempts == 2 and december.settled_on
    client = Client(enforce_csrf_checks=True)
    portal_login(client, payer.customer.id_number, payer.customer.pin)
    with clock.business_date(dt.date(2026, 12, 10)):
        page = client.get("/autogiro/").content.decode()
    earlier = page[page.index("Tidigare premier") :]
    row = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", earlier))
    assert f"{december.due_date:%Y-%m-%d}" in row and "Betald (2 försök)" in row
    assert f"{december.settled_on:%Y-%m-%d}" in row


def test_a_policy_is_added_to_the_mandate_on_my_pages_signed(
    payer: Payer, exchange: Path, other_customer: Customer
) -> None:
    """The mandate covers "försäkringar som ... senare anmäls av mig": the customer adds a second
    insurance to the mandate in force, with the period chosen, and signs; a mandate of someone
    else is refused and nothing changes."""
    from tests.billing.conftest import register
    from tests.insurance.conftest import apply_online, online_input

    with clock.business_date(dt.date(2026, 11, 23)):
        mandate = register(payer)
    second = apply_online(
        payer.customer,
        online_input(
            payer.customer,
            payment_method="invoice",
            period="yearly",
            insured_id_number=other_customer.id_number,
            insured_given_name=other_customer.party.given_name,
            insured_family_name=other_customer.party.family_name,
        ),
    ).policy
    assert second is not None
    client = Client(enforce_csrf_checks=True)
    portal_login(client, payer.customer.id_number, payer.customer.pin)
    with clock.business_date(dt.date(2026, 11, 23)):
        page = client.get("/autogiro/").content.decode()
        assert f"/autogiro/mandates/{mandate.pk}/add/" in page and second.number in page
        started = client.post(
            f"/autogiro/mandates/{mandate.pk}/add/",
            {
                "policies": [second.number],
                "period": "half_yearly",
                "csrfmiddlewaretoken": csrf_of(client),
            },
        )
        sign_url = started["Location"]
        assert sign_url.startswith("/bank/sign/")
        shown = client.get(sign_url).content.decode()
        assert second.number in shown and "2026-12-01" in shown  # what is signed
        done = _sign(client, payer.customer, sign_url)
    assert done["Location"] == "/autogiro/"
    on_mandate = mandate.policies.get(policy=second)
    assert on_mandate.period == "half_yearly"
    second.refresh_from_db()
    assert second.period == "half_yearly"

    stranger = Client(enforce_csrf_checks=True)
    portal_login(stranger, other_customer.id_number, other_customer.pin)
    refused = stranger.post(
        f"/autogiro/mandates/{mandate.pk}/add/",
        {"policies": [payer.policy.number], "csrfmiddlewaretoken": csrf_of(stranger)},
    )
    assert refused.status_code == 302 and refused["Location"] == "/autogiro/"
    assert mandate.policies.count() == 2
