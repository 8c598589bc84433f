"""Accident insurance through the API: questions, a signed application, the policy and its
letter, a claim; nothing of another customer's."""

from __future__ import annotations

from typing import Any

import pytest

from tests.banking.conftest import with_token
from tests.conftest import ApiClient, Customer
from trygg.identity.tokens import token_expected_response
from trygg.insurance.models import Application

pytestmark = pytest.mark.django_db


def _application(api: ApiClient, customer: Customer, **changes: Any) -> dict[str, Any]:
    questions = api.call("GET", "/insurance/questions").json()
    body = {
        "kind": "new",
        "insured_id_number": customer.id_number,
        "insured_given_name": "Anna",
        "insured_family_name": "Berg",
        "level": 20,
        "payment_method": "autogiro",
        "period": "monthly",
        "start_date": "2026-12-01",
        "replaces_other": False,
        "answers": {q["code"]: {"yes": False} for q in questions},
        "privacy_notice_shown": True,
    }
    body.update(changes)
    return body


def test_apply_sign_and_claim_through_the_api(
    api: ApiClient, customer: Customer, other_customer: Customer, frozen: Any
) -> None:
    with_token(customer)
    api.login(customer.id_number, customer.pin)
    refused = api.call(
        "POST", "/insurance/applications/signing", _application(api, customer, level=60)
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "level.choice"
    body = _application(api, customer)
    started = api.call("POST", "/insurance/applications/signing", body)
    assert started.status_code == 201
    order = started.json()
    assert "20" in order["summary"] and "946" in order["summary"]
    token = customer.party.security_tokens.get(state="active")
    signed = api.call(
        "POST",
        f"/signing/{order['signing_id']}/token",
        {"response": token_expected_response(token, order["challenge"])},
    )
    assert signed.json()["state"] == "signed"
    sent = api.call("POST", f"/insurance/applications/{order['signing_id']}", body)
    assert sent.status_code == 201 and sent.json()["state"] == "accepted"
    number = sent.json()["policy_number"]
    policies = api.call("GET", "/insurance/policies").json()
    assert policies[0]["number"] == number
    assert policies[0]["current_term"]["base_amount"] == "1184000.00"
    letter = api.call("GET", f"/insurance/policies/{number}/letter")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    claim = api.call(
        "POST",
        "/insurance/claims",
        {
            "policy_number": number,
            "accident_date": "2026-11-21",
            "description": "Cykelolycka",
            "payout_destination": "6000-123456789",
        },
    )
    assert claim.status_code == 422 and claim.json()["code"] == "claim.not_in_cover"

    other = ApiClient()
    other.login(other_customer.id_number, other_customer.pin)
    assert other.call("GET", "/insurance/policies").json() == []
    assert other.call("GET", f"/insurance/policies/{number}/letter").status_code == 404
    assert (
        other.call("POST", f"/insurance/policies/{number}/cancel", {"on": "2027-01-01"}).status_code
        == 404
    )
    assert Application.objects.count() == 1
