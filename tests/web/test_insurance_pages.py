"""Accident insurance in the portal: apply with the health declaration, sign with the token,
see the policy and download its letter; another customer sees none of it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.banking.conftest import with_token
from tests.conftest import Customer, csrf_of, portal_login
from trygg.identity.tokens import token_expected_response
from trygg.insurance.applications import questions
from trygg.insurance.models import Application, Policy

pytestmark = pytest.mark.django_db


def _form(client: Client, **changes: str) -> dict[str, str]:
    form = {
        "kind": "new",
        "insured_id_number": "",
        "insured_given_name": "Anna",
        "insured_family_name": "Berg",
        "level": "30",
        "payment": "autogiro:monthly",
        "start_date": "2026-12-01",
        "replaces_other": "no",
        "privacy_notice": "on",
        "csrfmiddlewaretoken": csrf_of(client),
    }
    for q in questions():
        form[f"health.{q.code}"] = "no"
    form.update(changes)
    return form


def test_apply_sign_and_see_the_policy(customer: Customer, frozen: Any) -> None:
    with_token(customer)
    client = Client(enforce_csrf_checks=True)
    portal_login(client, customer.id_number, customer.pin)
    page = client.get("/insurance/apply/").content.decode()
    assert "Min hälsa" in page and "personuppgifter" in page
    incomplete = client.post(
        "/insurance/apply/",
        _form(
            client,
            insured_id_number=customer.id_number,
            privacy_notice="",
            **{"health.medication": ""},
        ),
    )
    assert incomplete.status_code == 422
    assert not Application.objects.exists()
    response = client.post("/insurance/apply/", _form(client, insured_id_number=customer.id_number))
    sign_url = response["Location"]
    assert sign_url.startswith("/bank/sign/")
    sign_page = client.get(sign_url).content.decode()
    assert "30" in sign_page and "1\u00a0322,00\u00a0kr" in sign_page  # what is signed
    challenge = re.search(r'id="challenge">(\d+)<', sign_page)
    assert challenge
    token = customer.party.security_tokens.get(state="active")
    done = client.post(
        sign_url,
        {
            "response": token_expected_response(token, challenge.group(1)),
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    assert done["Location"] == "/insurance/"
    policy = Policy.objects.get()
    listing = client.get("/insurance/").content.decode()
    assert policy.number in listing and "1\xa0776\xa0000" in listing
    assert policy.number in client.get("/overview/").content.decode()
    letter = client.get(f"/insurance/policies/{policy.number}/letter/")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")


def test_another_customer_sees_no_policy(
    customer: Customer, other_customer: Customer, frozen: Any
) -> None:
    from tests.insurance.conftest import apply_online, online_input

    with_token(customer)
    policy = apply_online(customer, online_input(customer)).policy
    assert policy is not None
    client = Client(enforce_csrf_checks=True)
    portal_login(client, other_customer.id_number, other_customer.pin)
    assert policy.number not in client.get("/insurance/").content.decode()
    assert client.get(f"/insurance/policies/{policy.number}/letter/").status_code == 404
    refused = client.post(
        f"/insurance/policies/{policy.number}/cancel/",
        {"on": "2027-01-01", "csrfmiddlewaretoken": csrf_of(client)},
    )
    assert refused.status_code == 404
    policy.refresh_from_db()
    assert policy.state == "active"


def test_existing_autogiro_needs_a_mandate_in_force(customer: Customer, frozen: Any) -> None:
    """The choice "betala med befintligt autogiro" without a mandate is refused beside the
    payment field and nothing is applied for; with one the application goes on to signing."""
    from tests.billing.conftest import Payer
    from trygg.billing.mandates import PolicyChoice, mandate_register
    from trygg.kernel.audit import SYSTEM

    with_token(customer)
    client = Client(enforce_csrf_checks=True)
    portal_login(client, customer.id_number, customer.pin)
    form = _form(
        client, insured_id_number=customer.id_number, payment="existing_autogiro:half_yearly"
    )
    refused = client.post("/insurance/apply/", form)
    assert refused.status_code == 422
    assert "payment" in refused.context["form"].errors
    assert "autogiro" in refused.content.decode()
    assert not Application.objects.exists()

    from tests.insurance.conftest import apply_online, online_input

    policy = apply_online(customer, online_input(customer)).policy
    assert policy is not None
    mandate_register(
        ctx=SYSTEM,
        data=Payer(customer, policy).mandate_input(policies=[PolicyChoice(policy.number)]),
    )
    again = client.post(
        "/insurance/apply/",
        _form(client, insured_id_number=customer.id_number, payment="existing_autogiro:yearly"),
    )
    assert again.status_code == 302, again.context["form"].errors
    assert again["Location"].startswith("/bank/sign/")
