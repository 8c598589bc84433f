"""RTS Art. 10 everywhere: the demo customer whose last log-in with BankID was 200 days ago logs
in with the PIN and walks every portal page and every API endpoint (found from the URL patterns
and the OpenAPI document), the forms' choice lists and the errors of transfers, payments and
orders included. No response shows one of their account numbers or balances; the pages of
account information ask for the token or BankID, the forms open to the PIN name the accounts
by name. Within 180 days the same forms show number and balance."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tests.conftest import ApiClient, csrf_of, portal_login
from tests.walk import Seeded, api_endpoints, portal_pages, seed_demo_customer
from trygg.banking.models import Account, Holding
from trygg.billing.models import Mandate
from trygg.identity.models import LoginEvent, LoginMethod
from trygg.kernel import clock
from trygg.kernel.numbertext import money_text
from trygg.parties.selectors import accessible_parties

pytestmark = pytest.mark.django_db

STALE = 4  # the demo customer "last used BankID 200 days ago"

# Pages that cannot be fetched with GET in a walk (they change state only on POST).
NOT_WALKED = {"logout": "a POST only"}


@pytest.fixture(params=[STALE, 0], ids=["demo-200-days", "everything-held-200-days"])
def stale(request: Any, frozen: Any) -> Seeded:
    """The demo customer of 200 days, and the demo's first customer (a policy, claims, an
    autogiro mandate with its debits and notices) with their BankID log-in moved 200 days back:
    the walk then meets every page with an object of the customer's own."""
    seeded = seed_demo_customer(request.param)
    LoginEvent.objects.filter(party=seeded.customer.party, method=LoginMethod.BANKID).update(
        occurred_at=clock.now() - dt.timedelta(days=200)
    )
    return seeded


def _money_forms(amount: Decimal) -> set[str]:
    whole, cents = f"{amount:.2f}".split(".")
    grouped = f"{int(whole):,}"
    forms = {f"{amount:.2f}", f"{whole},{cents}", f"{grouped}.{cents}"}
    for space in (" ", "\xa0", "&nbsp;"):
        forms.add(grouped.replace(",", space) + "," + cents)
    return forms


def _secrets(seeded: Seeded) -> set[str]:
    """The customer's account numbers and balances (and fund values) in the forms a page or
    an API answer would show them."""
    parties = accessible_parties(seeded.customer.party)
    found: set[str] = set()
    for account in Account.objects.filter(party__in=parties):
        found |= {account.number, re.sub(r"\D", "", account.number)}
        found |= _money_forms(account.balance)
    for holding in Holding.objects.filter(party__in=parties):
        found |= _money_forms(holding.value)
    for mandate in Mandate.objects.filter(payer__in=parties):  # the account premiums come from
        found |= {f"{mandate.clearing}-{mandate.account}", mandate.clearing + mandate.account}
    assert len(found) > 10
    return found


def _leaks(text: str, secrets: set[str]) -> set[str]:
    return {s for s in secrets if s in text}


def _pin_client(seeded: Seeded) -> Client:
    client = Client(enforce_csrf_checks=True)
    assert portal_login(client, seeded.customer.id_number, seeded.customer.pin).status_code == 302
    return client


def test_no_portal_page_shows_an_account_number_or_balance(stale: Seeded) -> None:
    secrets = _secrets(stale)
    client = _pin_client(stale)
    leaks, walked = {}, []
    for url in portal_pages(stale, NOT_WALKED, absent="0"):
        response = client.get(url)
        walked.append((url, response.status_code))
        if found := _leaks(response.getvalue().decode(errors="replace"), secrets):
            leaks[url] = found
    assert not leaks, leaks
    status = dict(walked)
    # Account information asks for the token or BankID; the forms open to the PIN stay open.
    for path in ("/overview/", "/bank/", "/funds/", "/pension/", "/insurance/"):
        assert status[path] == 302, path
    for path in ("/bank/transfer/", "/bank/pay/", "/bank/trade/", "/bank/registrations/"):
        assert status[path] == 200, path


def test_forms_name_the_accounts_and_say_why(stale: Seeded) -> None:
    client = _pin_client(stale)
    page = client.get("/bank/transfer/").content.decode()
    assert ">Lönekonto</option>" in page and ">Sparkonto</option>" in page
    assert 'id="account-details-hidden"' in page and "/identify/?next=/bank/transfer/" in page
    registrations = client.get("/bank/registrations/").content.decode()
    assert "<td>Lönekonto</td>" in registrations  # the registration's account, by name


def test_errors_and_signing_texts_show_no_balance_or_number(stale: Seeded) -> None:
    secrets = _secrets(stale)
    client = _pin_client(stale)
    account = stale.objects["account"]
    savings = Account.objects.filter(party=stale.customer.party).exclude(pk=account.pk).first()
    assert savings is not None
    too_much = client.post(
        "/bank/transfer/",
        {
            "from_account": account.pk,
            "to_account": savings.pk,
            "amount": "9999999",
            "message": "",
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    assert too_much.status_code == 422
    text = too_much.content.decode()
    assert "Lönekonto" in text and not _leaks(text, secrets)
    payment = client.post(
        "/bank/pay/",
        {
            "from_account": account.pk,
            "kind": "bankgiro",
            "number": "5050-1055",
            "amount": "100",
            "message": "",
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    assert payment.status_code == 302
    review_page = client.get(payment["Location"]).content.decode()
    assert "Lönekonto" in review_page and not _leaks(review_page, secrets)
    to_sign = client.post(payment["Location"], {"csrfmiddlewaretoken": csrf_of(client)})
    sign_page = client.get(to_sign["Location"]).content.decode()
    assert "Lönekonto" in sign_page and not _leaks(sign_page, secrets)
    trade = client.post(
        "/bank/trade/",
        {
            "account": account.pk,
            "side": "buy",
            "isin": "SE0000108656",
            "instrument": "Ericsson B",
            "quantity": "100000",
            "limit_price": "100",
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    assert not _leaks(trade.content.decode(), secrets)


def test_no_api_answer_shows_an_account_number_or_balance(stale: Seeded) -> None:
    secrets = _secrets(stale)
    api = ApiClient()
    assert api.login(stale.customer.id_number, stale.customer.pin).status_code == 200
    leaks, refused = {}, set()
    for template, url in api_endpoints(stale, {}, absent="NONE"):
        response = api.client.get(url)
        if response.status_code == 403 and response.json()["code"] == "sca.step_up_required":
            refused.add(template)
        if found := _leaks(response.getvalue().decode(errors="replace"), secrets):
            leaks[template] = found
    assert not leaks, leaks
    assert {"/api/v1/accounts", "/api/v1/overview", "/api/v1/holdings"} <= refused
    account = stale.objects["account"]
    savings = Account.objects.filter(party=stale.customer.party).exclude(pk=account.pk).first()
    assert savings is not None
    too_much = api.call(
        "POST",
        "/transfers",
        {"from_account": account.pk, "to_account": savings.pk, "amount": "9999999"},
    )
    assert too_much.status_code == 422
    assert too_much.json()["code"] == "account.insufficient_funds"
    assert not _leaks(too_much.content.decode(), secrets)
    registrations = api.call("GET", "/registrations").json()
    assert [r["account"] for r in registrations] == ["Lönekonto"]


def test_within_180_days_the_forms_show_number_and_balance(frozen: Any) -> None:
    seeded = seed_demo_customer(0)  # BankID 12 days ago
    account = seeded.objects["account"]
    client = _pin_client(seeded)
    page = client.get("/bank/transfer/").content.decode()
    assert f"Lönekonto {account.number} ({money_text(account.balance)})" in page
    assert 'id="account-details-hidden"' not in page
    api = ApiClient()
    assert api.login(seeded.customer.id_number, seeded.customer.pin).status_code == 200
    assert [r["account"] for r in api.call("GET", "/registrations").json()] == [account.number]
