"""The signing hub carries out a signed order through the domain that registered its function
and kind; an order nobody registered is refused with nothing signed or carried out."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.banking.conftest import with_token
from tests.conftest import Customer, csrf_of, portal_login
from trygg.banking.services import PayeeInput, payee_register_start
from trygg.billing.mandates import PREMIUM_MANDATE
from trygg.identity.models import SigningOrder, SigningState
from trygg.identity.sca import Function
from trygg.identity.signing import signing_completion
from trygg.identity.tokens import token_expected_response
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import DomainError


def _order(function: str, kind: str = "") -> SigningOrder:
    return SigningOrder(function=function, kind=kind, payload={})


@pytest.mark.parametrize(
    ("function", "kind", "module"),
    [
        (Function.PAYMENT_NEW_ACCOUNT, "", "trygg.banking.views"),
        (Function.PAYEE_REGISTER, "", "trygg.banking.views"),
        (Function.AUTOGIRO_REGISTER, "", "trygg.banking.views"),
        (Function.EINVOICE_REGISTER, "", "trygg.banking.views"),
        (Function.STOCK_TRADE, "", "trygg.banking.views"),
        (Function.AUTOGIRO_REGISTER, PREMIUM_MANDATE, "trygg.billing.views"),
        (Function.INSURANCE_APPLICATION, "", "trygg.insurance.views"),
    ],
)
def test_each_signed_function_is_carried_out_by_its_domain(
    function: str, kind: str, module: str
) -> None:
    assert signing_completion(_order(function, kind)).__module__ == module


@pytest.mark.parametrize(
    ("function", "kind"),
    [
        (Function.AUTOGIRO_REGISTER, "gift_card"),
        (Function.PAYMENT_NEW_ACCOUNT, PREMIUM_MANDATE),
        ("lottery_ticket", ""),
    ],
)
def test_an_unknown_function_or_kind_is_refused_by_name(function: str, kind: str) -> None:
    with pytest.raises(DomainError) as refused:
        signing_completion(_order(function, kind))
    assert refused.value.code == "signing.unknown_kind"
    assert function in str(refused.value.message)


@pytest.mark.django_db
def test_a_signed_order_of_an_unknown_kind_is_refused_on_the_sign_page(
    customer: Customer,
) -> None:
    """Nothing is signed and nothing carried out; the page says why (not a 500)."""
    with_token(customer)
    order = payee_register_start(
        ctx=SYSTEM,
        person=customer.party,
        data=PayeeInput("Elbolaget", "bankgiro", "5050-1055"),
    )
    SigningOrder.objects.filter(pk=order.pk).update(kind="gift_card")
    client = Client(enforce_csrf_checks=True)
    portal_login(client, customer.id_number, customer.pin)
    page = client.get(f"/bank/sign/{order.public_id}/").content.decode()
    challenge = re.search(r'id="challenge">(\d+)<', page)
    assert challenge
    token = customer.party.security_tokens.get(state="active")
    refused = client.post(
        f"/bank/sign/{order.public_id}/",
        {
            "response": token_expected_response(token, challenge.group(1)),
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    assert refused.status_code == 422
    assert "autogiro_register/gift_card" not in refused.content.decode()
    assert "payee_register/gift_card" in refused.content.decode()
    order.refresh_from_db()
    assert order.state == SigningState.PENDING
    assert not customer.party.payees.exists()
