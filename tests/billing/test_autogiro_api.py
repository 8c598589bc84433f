"""The portal's autogiro through the API: mandates and debits, stop one debit, revoke a mandate,
add an insurance to a mandate with a signature; CSRF on every change, problem+json refusals,
another customer's mandate and debits are not found."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.billing.answers import mandate_notices
from tests.billing.conftest import Payer, register, run_on
from tests.conftest import ApiClient, Customer
from tests.insurance.conftest import apply_online, online_input
from trygg.billing.imports import autogiro_import
from trygg.billing.models import Charge, Mandate
from trygg.identity.tokens import token_expected_response
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.models import AuditEvent

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 24)


def _active(payer: Payer, exchange: Path) -> Mandate:
    with clock.business_date(dt.date(2026, 11, 23)):
        mandate = register(payer)
    run_on(dt.date(2026, 11, 23))
    inbox = exchange / "from_bankgirot"
    inbox.mkdir(parents=True)
    with clock.business_date(DAY):
        autogiro_import(ctx=SYSTEM, path=mandate_notices(inbox, DAY, [(mandate, "32")]))
    mandate.refresh_from_db()
    assert mandate.state == "active"
    return mandate


@pytest.fixture
def logged_in(api: ApiClient, payer: Payer) -> ApiClient:
    api.login(payer.customer.id_number, payer.customer.pin)
    return api


def test_mandates_and_debits_stop_one_then_revoke(
    logged_in: ApiClient, payer: Payer, exchange: Path
) -> None:
    mandate = _active(payer, exchange)
    api = logged_in
    with clock.business_date(DAY):
        mandates = api.call("GET", "/autogiro/mandates").json()
        debits = api.call("GET", "/autogiro/debits").json()
    assert [(m["id"], m["state"]) for m in mandates] == [(mandate.pk, "active")]
    assert mandates[0]["policies"][0]["policy_number"] == payer.policy.number
    assert AuditEvent.objects.filter(object_type="mandate", action="read", channel="api").exists()
    first = debits[0]
    assert first["due_date"] == "2026-12-03" and first["stoppable"] is True
    assert first["policy_number"] == payer.policy.number

    with clock.business_date(DAY):
        no_csrf = api.call("POST", f"/autogiro/debits/{first['id']}/stop", csrf=False)
        assert no_csrf.status_code == 403
        assert Charge.objects.get(pk=first["id"]).state == "planned"
        stopped = api.call("POST", f"/autogiro/debits/{first['id']}/stop")
        again = api.call("POST", f"/autogiro/debits/{first['id']}/stop")
    assert stopped.status_code == 200
    body = stopped.json()
    assert body["debit"]["state"] == "stopped" and body["debit"]["stoppable"] is False
    assert body["follow_up"]["due_date"].startswith("2027-01-")  # still owed, in January
    assert again.status_code == 422
    assert again["Content-Type"] == "application/problem+json"
    assert again.json()["code"] == "stop.state"

    with clock.business_date(DAY):
        revoked = api.call("POST", f"/autogiro/mandates/{mandate.pk}/revoke")
        twice = api.call("POST", f"/autogiro/mandates/{mandate.pk}/revoke")
    assert revoked.status_code == 200 and revoked.json()["mandate"]["state"] == "revoked"
    assert twice.status_code == 422
    mandate.refresh_from_db()
    assert mandate.state == "revoked"


def test_another_customers_mandate_and_debits_are_not_found(
    api: ApiClient, payer: Payer, exchange: Path, other_customer: Customer
) -> None:
    mandate = _active(payer, exchange)
    charge = Charge.objects.order_by("due_date").first()
    assert charge is not None
    api.login(other_customer.id_number, other_customer.pin)
    with clock.business_date(DAY):
        assert api.call("GET", "/autogiro/mandates").json() == []
        assert api.call("GET", "/autogiro/debits").json() == []
        stop = api.call("POST", f"/autogiro/debits/{charge.pk}/stop")
        revoke = api.call("POST", f"/autogiro/mandates/{mandate.pk}/revoke")
    assert stop.status_code == revoke.status_code == 404
    assert stop.json()["code"] == "charge.not_found"
    assert revoke.json()["code"] == "mandate.not_found"
    charge.refresh_from_db()
    mandate.refresh_from_db()
    assert (charge.state, mandate.state) == ("planned", "active")


def test_an_insurance_is_added_to_the_mandate_with_a_signature(
    logged_in: ApiClient, payer: Payer, exchange: Path, other_customer: Customer
) -> None:
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
    api = logged_in
    body = {"policies": [second.number], "period": "half_yearly"}
    with clock.business_date(dt.date(2026, 11, 23)):
        unknown = api.call(
            "POST", f"/autogiro/mandates/{mandate.pk}/policies/signing", {"policies": ["X1"]}
        )
        assert unknown.status_code == 422
        assert unknown.json()["errors"][0]["field"].startswith("policies")
        order = api.call("POST", f"/autogiro/mandates/{mandate.pk}/policies/signing", body)
        assert order.status_code == 201
        signing = order.json()
        assert second.number in signing["summary"]
        unsigned = api.call(
            "POST", f"/autogiro/mandates/{mandate.pk}/policies/{signing['signing_id']}", body
        )
        assert unsigned.json()["code"] == "signing.not_signed"
        token = payer.customer.party.security_tokens.get(state="active")
        api.call(
            "POST",
            f"/signing/{signing['signing_id']}/token",
            {"response": token_expected_response(token, signing["challenge"])},
        )
        tampered = api.call(
            "POST",
            f"/autogiro/mandates/{mandate.pk}/policies/{signing['signing_id']}",
            {**body, "period": "monthly"},
        )
        assert tampered.status_code == 422 and tampered.json()["code"] == "signing.mismatch"
        added = api.call(
            "POST", f"/autogiro/mandates/{mandate.pk}/policies/{signing['signing_id']}", body
        )
    assert added.status_code == 200
    numbers = {p["policy_number"]: p["period"] for p in added.json()["policies"]}
    assert numbers[second.number] == "half_yearly"
    assert mandate.policies.get(policy=second).period == "half_yearly"
