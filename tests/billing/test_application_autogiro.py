"""The sales path with autogiro: the application names the account (one at another bank, or the
customer's own account with us), checked as a mandate's account; the mandate is created when the
policy is issued; the customer then sees what happens next."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from tests.banking.conftest import sign, with_token
from tests.conftest import Customer, csrf_of, portal_login
from tests.insurance.conftest import apply_online, online_input
from tests.test_translations import english_on, english_phrases, page_text
from trygg.banking.services import account_open
from trygg.billing.mandates import mandate_register
from trygg.billing.models import Mandate, MandatePolicy
from trygg.billing.plans import first_debit_of
from trygg.identity.tokens import token_expected_response
from trygg.insurance.applications import application_start
from trygg.insurance.models import Application
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import ValidationFailed
from trygg.kernel.numbertext import money_text

pytestmark = pytest.mark.django_db


def _nordea(customer: Customer) -> str:
    return f"3300-{customer.id_number[2:]}"


def test_the_mandate_is_created_when_the_policy_is_issued(customer: Customer, frozen: Any) -> None:
    with_token(customer)
    application = apply_online(customer, online_input(customer, autogiro_account=_nordea(customer)))
    assert application.state == "accepted" and application.policy is not None
    assert (application.autogiro_clearing, application.autogiro_account) == (
        "3300",
        customer.id_number[2:],
    )
    mandate = Mandate.objects.get()
    assert (mandate.payer, mandate.clearing, mandate.account) == (
        customer.party,
        "3300",
        customer.id_number[2:],
    )
    assert mandate.state == "requested" and mandate.channel == "web"
    assert mandate.signing_id == application.signing_id  # signed with the application
    on_mandate = MandatePolicy.objects.get(mandate=mandate)
    assert on_mandate.policy == application.policy and on_mandate.period == "monthly"


def test_the_customers_own_account_with_us_is_offered_and_accepted(
    customer: Customer, frozen: Any
) -> None:
    with_token(customer)
    own = account_open(ctx=SYSTEM, party=customer.party, name="Lönekonto")
    account_open(ctx=SYSTEM, party=customer.party, name="Sparkonto", kind="savings")
    client = Client(enforce_csrf_checks=True)
    client.cookies["trygg_language"] = "sv"
    portal_login(client, customer.id_number, customer.pin)
    form = client.get("/insurance/apply/").content.decode()
    # By name and number; a session past the step-up rule's 180 days sees the name only
    # (tests/web/test_step_up_everywhere.py). A savings account is no account for autogiro.
    assert f'<option value="{own.pk}">Lönekonto {own.number}</option>' in form
    assert "Sparkonto" not in form
    signed = _apply_in_portal(client, customer, autogiro_own=str(own.pk))
    assert own.number in signed  # what the customer signs names the account
    mandate = Mandate.objects.get()
    assert f"{mandate.clearing}-{mandate.account}" == own.number
    application = Application.objects.get()
    assert application.autogiro_bank == mandate.bank


@pytest.mark.parametrize(
    ("account", "code"),
    [("3300-1212121212", "mandate.account_not_payers"), ("8327-1", "account.length")],
)
def test_a_wrong_account_is_refused_on_its_field_and_nothing_is_written(
    customer: Customer, frozen: Any, account: str, code: str
) -> None:
    with_token(customer)
    with pytest.raises(ValidationFailed) as refused:
        application_start(
            ctx=SYSTEM,
            person=customer.party,
            data=online_input(customer, autogiro_account=account),
        )
    problem = next(p for p in refused.value.problems if p.field == "autogiro_account")
    assert problem.code.startswith(code.split(".")[0])
    assert not Application.objects.exists() and not Mandate.objects.exists()


def test_the_account_is_asked_only_for_a_new_autogiro(customer: Customer, frozen: Any) -> None:
    with_token(customer)
    application = apply_online(
        customer,
        online_input(
            customer, payment_method="invoice", period="yearly", autogiro_account="3300-1"
        ),
    )
    assert application.state == "accepted" and application.autogiro_account == ""
    assert not Mandate.objects.exists()


def test_a_policy_goes_on_the_open_mandate_of_the_same_account(
    customer: Customer, other_customer: Customer, frozen: Any
) -> None:
    with_token(customer)
    first = apply_online(customer, online_input(customer)).policy  # no account: as before
    assert first is not None
    from trygg.billing.mandates import MandateInput, PolicyChoice

    mandate = mandate_register(
        ctx=SYSTEM,
        data=MandateInput(
            payer_id_number=customer.id_number,
            account=_nordea(customer),
            policies=[PolicyChoice(first.number)],
        ),
    )
    second = apply_online(
        customer,
        online_input(
            customer,
            autogiro_account=_nordea(customer),
            insured_id_number=other_customer.id_number,
            insured_given_name=other_customer.party.given_name,
            insured_family_name=other_customer.party.family_name,
        ),
    ).policy
    assert Mandate.objects.count() == 1
    assert set(mandate.policies.values_list("policy__number", flat=True)) == {
        first.number,
        second.number if second else "",
    }


def _apply_in_portal(client: Client, customer: Customer, **fields: str) -> str:
    """Fill in and sign the portal's application form with the token; the signing page."""
    form = client.get("/insurance/apply/").content.decode()
    posted = {
        "kind": "new",
        "insured_id_number": customer.id_number,
        "insured_given_name": customer.party.given_name,
        "insured_family_name": customer.party.family_name,
        "level": "30",
        "payment": "autogiro:monthly",
        "start_date": "2026-12-01",
        "replaces_other": "no",
        "privacy_notice": "on",
        "csrfmiddlewaretoken": csrf_of(client),
        **fields,
    }
    for code in re.findall(r'name="(health\.[\w-]+)" value="no"', form):
        posted[code] = "no"
    started = client.post("/insurance/apply/", posted)
    assert started.status_code == 302, page_text(started.content.decode())[:2000]
    sign_url = started["Location"]
    shown = client.get(sign_url).content.decode()
    challenge = re.search(r'id="challenge">(\d+)<', shown)
    assert challenge
    token = customer.party.security_tokens.get(state="active")
    client.post(
        sign_url,
        {
            "response": token_expected_response(token, challenge.group(1)),
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    return shown


def test_after_approval_the_customer_sees_what_happens_next(
    customer: Customer, frozen: Any
) -> None:
    with_token(customer)
    client = Client(enforce_csrf_checks=True)
    client.cookies["trygg_language"] = "sv"
    portal_login(client, customer.id_number, customer.pin)
    signed = _apply_in_portal(client, customer, autogiro_account=_nordea(customer))
    assert _nordea(customer) in signed  # the account is part of what is signed
    application = Application.objects.get()
    policy = application.policy
    assert policy is not None and Mandate.objects.filter(payer=customer.party).exists()
    page = client.get("/insurance/").content.decode()
    first = first_debit_of(SYSTEM, policy)
    assert first is not None
    with translation.override("sv"):
        amount = money_text(first.amount).replace("\u00a0", " ")  # as page_text reads it
    section = page_text(page[page.index(f'id="next-{policy.number}"') :])
    assert f"Ansökan {application.number} är beviljad" in section
    assert amount in section and first.due_date.isoformat() in section
    assert f"3300-{customer.id_number[2:]}" in section
    assert "ångerrätt i 14 dagar" in section
    assert (first.due_date - dt.date(2026, 12, 1)).days < 10  # early in the first period
    assert english_on(page, english_phrases()) == []


def test_the_next_steps_are_gone_after_the_withdrawal_period(
    customer: Customer, frozen: Any
) -> None:
    from trygg.kernel import clock

    with_token(customer)
    apply_online(customer, online_input(customer, autogiro_account=_nordea(customer)))
    client = Client()
    client.cookies["trygg_language"] = "sv"
    portal_login(client, customer.id_number, customer.pin)
    assert "det här händer nu" in client.get("/insurance/").content.decode()
    with clock.business_date(clock.today() + dt.timedelta(days=15)):
        assert "det här händer nu" not in client.get("/insurance/").content.decode()


def test_an_unsigned_change_of_account_voids_the_signature(customer: Customer, frozen: Any) -> None:
    from trygg.insurance.applications import application_submit

    with_token(customer)
    data = online_input(customer, autogiro_account=_nordea(customer))
    order = application_start(ctx=SYSTEM, person=customer.party, data=data)
    sign(customer, order)
    own = account_open(ctx=SYSTEM, party=customer.party, name="Lönekonto")
    with pytest.raises(ValidationFailed) as refused:
        application_submit(
            ctx=SYSTEM,
            person=customer.party,
            signing_id=order.public_id,
            data=online_input(customer, autogiro_account=own.number),
        )
    assert refused.value.code == "signing.mismatch"
    assert not Mandate.objects.exists()
