"""Log-in with the security token in the portal: challenge shown, response, two factors."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from tests.conftest import Customer, csrf_of
from trygg.identity.models import SecurityToken, TokenKind
from trygg.identity.tokens import (
    token_dispatch,
    token_expected_response,
    token_hand_over,
    token_order,
)
from trygg.kernel import idnumbers
from trygg.kernel.audit import SYSTEM


def _token(customer: Customer) -> SecurityToken:
    token = token_order(ctx=SYSTEM, party=customer.party, kind=TokenKind.OCRA)
    token_dispatch(ctx=SYSTEM, token=token, by_post=False)
    token_hand_over(ctx=SYSTEM, token=token)
    return token


def _start(client: Client, id_number: str) -> str:
    client.get("/login/token/")
    response = client.post(
        "/login/token/", {"id_number": id_number, "csrfmiddlewaretoken": csrf_of(client)}
    )
    assert response["Location"] == "/login/token/respond/"
    page = client.get("/login/token/respond/").content.decode()
    match = re.search(r'id="challenge"[^>]*>(\d+)<', page)
    assert match
    return match.group(1)


@pytest.mark.django_db
def test_token_login_gives_a_two_factor_session(customer: Customer) -> None:
    token = _token(customer)
    client = Client(enforce_csrf_checks=True)
    challenge = _start(client, customer.id_number)
    response = client.post(
        "/login/token/respond/",
        {
            "response": token_expected_response(token, challenge),
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    assert response["Location"] == "/overview/"
    me = client.get("/api/v1/me").json()
    assert me["authentication_method"] == "token" and me["authentication_level"] == 2


@pytest.mark.django_db
def test_a_wrong_response_gets_a_new_challenge(customer: Customer) -> None:
    _token(customer)
    client = Client(enforce_csrf_checks=True)
    first = _start(client, customer.id_number)
    page = client.post(
        "/login/token/respond/", {"response": "12345678", "csrfmiddlewaretoken": csrf_of(client)}
    )
    assert page.status_code == 401
    second = re.search(r'id="challenge"[^>]*>(\d+)<', page.content.decode())
    assert second and second.group(1) != first


@pytest.mark.django_db
def test_unknown_number_still_gets_a_challenge() -> None:
    client = Client(enforce_csrf_checks=True)
    unknown = idnumbers.generate_swedish_personal(dt.date(1966, 6, 6), 123)
    assert len(_start(client, unknown)) == 8


@pytest.mark.django_db
def test_challenge_expires_after_three_minutes(customer: Customer, frozen: Any) -> None:
    token = _token(customer)
    client = Client(enforce_csrf_checks=True)
    challenge = _start(client, customer.id_number)
    frozen(dt.timedelta(minutes=3, seconds=1))
    response = client.post(
        "/login/token/respond/",
        {
            "response": token_expected_response(token, challenge),
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    assert response["Location"] == "/login/token/"


@pytest.mark.django_db
def test_customer_activates_a_posted_token(customer: Customer) -> None:
    from tests.conftest import portal_login

    token = token_order(ctx=SYSTEM, party=customer.party, kind=TokenKind.OCRA)
    token_dispatch(ctx=SYSTEM, token=token, by_post=True, tracking_number="RR123456785SE")
    client = Client(enforce_csrf_checks=True)
    portal_login(client, customer.id_number, customer.pin)
    overview = client.get("/overview/").content.decode()
    assert "/token/activate/" in overview
    page = client.get("/token/activate/").content.decode()
    match = re.search(r'id="challenge">(\d+)<', page)
    assert match
    done = client.post(
        "/token/activate/",
        {
            "response": token_expected_response(token, match.group(1)),
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    assert done["Location"] == "/overview/"
    token.refresh_from_db()
    assert token.state == "active"
    assert "/token/activate/" not in client.get("/overview/").content.decode()
