"""RTS Art. 10: after a PIN log-in, account information (overview, accounts, funds, life &
pension, insurance) is shown only within 180 days of the customer's last log-in with the
security token or BankID; otherwise the page asks for one in place and then continues. Transfers
between own accounts (Art. 15) need no more than the PIN."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from tests.conftest import ApiClient, Customer, csrf_of, make_customer, portal_login
from tests.web.test_token_login import _token
from trygg.identity.tokens import token_expected_response
from trygg.kernel import clock

pytestmark = pytest.mark.django_db

ACCOUNT_INFORMATION = ["/overview/", "/bank/", "/funds/", "/pension/", "/insurance/"]


def _pin_client(customer: Customer) -> Client:
    client = Client(enforce_csrf_checks=True)
    assert portal_login(client, customer.id_number, customer.pin).status_code == 302
    return client


def test_two_factor_log_in_179_days_ago_opens_account_information_with_the_pin() -> None:
    customer = make_customer(two_factor_days_ago=179)
    client = _pin_client(customer)
    for path in ACCOUNT_INFORMATION:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("days", [181, None])
def test_after_180_days_or_never_each_page_asks_for_the_token_or_bankid(
    days: int | None,
) -> None:
    customer = make_customer(two_factor_days_ago=days)
    client = _pin_client(customer)
    for path in ACCOUNT_INFORMATION:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"/identify/?next={path}"
    # Moving money between own accounts rests on Art. 15, not on Art. 10.
    assert client.get("/bank/transfer/").status_code == 200
    page = client.get("/identify/?next=/funds/").content.decode()
    assert "180" in page and "BankID" in page


def test_the_token_identifies_and_the_customer_continues_where_they_were() -> None:
    customer = make_customer(two_factor_days_ago=200)
    token = _token(customer)
    client = _pin_client(customer)
    assert client.get("/funds/")["Location"] == "/identify/?next=/funds/"
    page = client.get("/identify/?next=/funds/").content.decode()
    assert 'action="/login/token/"' in page and customer.id_number in page
    started = client.post(
        "/login/token/", {"id_number": customer.id_number, "csrfmiddlewaretoken": csrf_of(client)}
    )
    assert started["Location"] == "/login/token/respond/"
    challenge = re.search(
        r'id="challenge"[^>]*>(\d+)<', client.get("/login/token/respond/").content.decode()
    )
    assert challenge
    done = client.post(
        "/login/token/respond/",
        {
            "response": token_expected_response(token, challenge.group(1)),
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    assert done["Location"] == "/funds/"
    assert client.get("/funds/").status_code == 200
    # The next PIN log-in counts from this one.
    again = _pin_client(customer)
    assert again.get("/overview/").status_code == 200


def test_an_offsite_next_is_not_followed_after_identifying() -> None:
    customer = make_customer(two_factor_days_ago=200)
    token = _token(customer)
    client = _pin_client(customer)
    client.get("/identify/?next=https://evil.example/")
    client.post(
        "/login/token/", {"id_number": customer.id_number, "csrfmiddlewaretoken": csrf_of(client)}
    )
    challenge = re.search(
        r'id="challenge"[^>]*>(\d+)<', client.get("/login/token/respond/").content.decode()
    )
    assert challenge
    done = client.post(
        "/login/token/respond/",
        {
            "response": token_expected_response(token, challenge.group(1)),
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    assert done["Location"] == "/overview/"


def test_the_180_days_run_out_during_a_session() -> None:
    start = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
    with clock.frozen_now(start):
        customer = make_customer(two_factor_days_ago=180)
        client = _pin_client(customer)
        assert client.get("/overview/").status_code == 200  # exactly 180 days: still within
    with clock.frozen_now(start + dt.timedelta(minutes=1)):
        assert client.get("/overview/").status_code == 302


def test_the_api_answers_403_step_up_required_for_account_information() -> None:
    customer = make_customer(two_factor_days_ago=365)
    api = ApiClient()
    assert api.login(customer.id_number, customer.pin).status_code == 200
    for path in ("/overview", "/accounts", "/holdings?kind=fund", "/insurance/policies"):
        response = api.call("GET", path)
        assert response.status_code == 403, path
        body = response.json()
        assert body["code"] == "sca.step_up_required"
        assert "180" in body["detail"]
    assert api.call("GET", "/payees").status_code == 200
    assert api.call("GET", "/me").status_code == 200
