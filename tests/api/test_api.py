"""The REST API: session log-in with CSRF, problem+json naming the field, no IDOR."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tests.conftest import ApiClient, Customer
from trygg.kernel.models import AuditEvent
from trygg.parties.models import Party


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["code"] == code
    assert body["type"].endswith(code) and body["title"] and body["detail"]
    return body


@pytest.mark.django_db
def test_openapi_spec_is_served() -> None:
    spec = Client().get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for path in (
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/overview",
        "/api/v1/parties/{party_id}/contact-details",
    ):
        assert path in spec["paths"]


@pytest.mark.django_db
def test_login_me_overview_logout(api: ApiClient, customer: Customer) -> None:
    response = api.login(customer.id_number, customer.pin)
    assert response.status_code == 200
    assert response.json()["name"] == "Anna Berg" and not response.json()["must_change_pin"]
    me = api.call("GET", "/me").json()
    assert me["customer_number"] == customer.party.customer_number
    assert me["authentication_method"] == "pin" and me["authentication_level"] == 1
    overview = api.call("GET", "/overview").json()
    assert overview["engagements"][0]["contact"]["street"] == "Storgatan 1"
    assert overview["logins"][0]["channel"] == "api"
    assert api.call("POST", "/auth/logout").status_code == 204
    _problem(api.call("GET", "/me"), 401, "session.required")


@pytest.mark.django_db
def test_login_without_csrf_is_refused(api: ApiClient, customer: Customer) -> None:
    response = api.call(
        "POST", "/auth/login", {"id_number": customer.id_number, "pin": customer.pin}, csrf=False
    )
    body = _problem(response, 403, "csrf.failed")
    assert body["errors"][0]["field"] == "X-CSRFToken"
    assert not AuditEvent.objects.filter(action="login").exists()


@pytest.mark.django_db
def test_unsafe_call_without_csrf_changes_nothing(api: ApiClient, customer: Customer) -> None:
    api.login(customer.id_number, customer.pin)
    pid = customer.party.pk
    body = {"street": "Ny 1", "postal_code": "11122", "city": "Stockholm"}
    _problem(
        api.call("PUT", f"/parties/{pid}/contact-details", body, csrf=False), 403, "csrf.failed"
    )
    assert customer.party.addresses.get().street == "Storgatan 1"
    _problem(api.call("POST", "/auth/logout", csrf=False), 403, "csrf.failed")
    assert api.call("GET", "/me").status_code == 200


@pytest.mark.django_db
def test_wrong_pin_problem_tells_attempts_left(api: ApiClient, customer: Customer) -> None:
    body = _problem(api.login(customer.id_number, "9999"), 401, "login.failed")
    assert body["attempts_left"] == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"id_number": "19811218-9877", "pin": "4826"}, "id_number", "id_number.checksum"),
        ({"id_number": "19810229-1234", "pin": "4826"}, "id_number", "id_number.date"),
        ({"id_number": 198112189876, "pin": "4826"}, "id_number", "type.string"),
        ({"id_number": "1" * 21, "pin": "4826"}, "id_number", "text.too_long"),
        ({"pin": "4826"}, "id_number", "field.required"),
        ({"id_number": "198112189876", "pin": "48a6"}, "pin", "pin.format"),
    ],
)
def test_bad_login_input_names_field_and_rule(
    api: ApiClient, payload: dict[str, Any], field: str, code: str
) -> None:
    api.csrf()
    response = api.call("POST", "/auth/login", payload)
    status = 422
    body = _problem(response, status, response.json()["code"])
    assert body["errors"][0]["field"] == field
    assert body["errors"][0]["code"] == code


@pytest.mark.django_db
def test_malformed_json_is_a_problem_not_a_crash(api: ApiClient) -> None:
    api.csrf()
    response = api.call("POST", "/auth/login", raw="{not json")
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_another_customers_data_is_not_found(
    api: ApiClient, customer: Customer, other_customer: Customer
) -> None:
    api.login(customer.id_number, customer.pin)
    other = other_customer.party.pk
    _problem(api.call("GET", f"/parties/{other}/contact-details"), 404, "party.not_found")
    body = {"street": "Hack 1", "postal_code": "11122", "city": "Stockholm"}
    _problem(api.call("PUT", f"/parties/{other}/contact-details", body), 404, "party.not_found")
    assert other_customer.party.addresses.get().street == "Storgatan 1"
    assert not AuditEvent.objects.filter(subject_id=str(other), action="read").exists()


@pytest.mark.django_db
def test_contact_details_update_and_validation(api: ApiClient, customer: Customer) -> None:
    api.login(customer.id_number, customer.pin)
    pid = customer.party.pk
    good = api.call(
        "PUT",
        f"/parties/{pid}/contact-details",
        {
            "street": "Nygatan 5",
            "postal_code": "411 01",
            "city": "Göteborg",
            "email": "Ny@Example.org",
            "mobile": "+46 70 765 43 21",
        },
    )
    assert good.status_code == 200
    assert good.json()["email"] == "ny@example.org" and good.json()["mobile"] == "+46707654321"
    bad = api.call(
        "PUT",
        f"/parties/{pid}/contact-details",
        {"street": "", "postal_code": "4110", "city": "Göteborg", "email": "nope"},
    )
    body = _problem(bad, 422, "text.required")
    assert {e["field"] for e in body["errors"]} == {"street", "postal_code", "email"}
    assert api.call("GET", f"/parties/{pid}/contact-details").json()["street"] == "Nygatan 5"


@pytest.mark.django_db
def test_sole_trader_reaches_the_firm(api: ApiClient, sole_trader: tuple[Customer, Party]) -> None:
    owner, firm = sole_trader
    api.login(owner.id_number, owner.pin)
    kinds = {p["kind"] for p in api.call("GET", "/me").json()["parties"]}
    assert kinds == {"person", "organisation"}
    response = api.call("GET", f"/parties/{firm.pk}/contact-details")
    assert response.status_code == 200 and response.json()["name"] == "Eks Snickeri"
    reads = AuditEvent.objects.filter(action="read", object_id=str(firm.pk))
    assert reads.get().subject_id == str(owner.party.pk)  # the firm's data is the owner's


@pytest.mark.django_db
def test_expired_session_is_told_apart(api: ApiClient, customer: Customer, frozen: Any) -> None:
    api.login(customer.id_number, customer.pin)
    frozen(dt.timedelta(minutes=6))
    _problem(api.call("GET", "/overview"), 401, "session.expired")


@pytest.mark.django_db
def test_pin_change_pending_blocks_everything_else(api: ApiClient) -> None:
    from tests.conftest import make_customer

    person = make_customer(pin="5067", must_change=True)
    assert api.login(person.id_number, "5067").json()["must_change_pin"] is True
    _problem(api.call("GET", "/overview"), 403, "pin.change_required")
    response = api.call(
        "POST", "/auth/pin", {"current_pin": "5067", "new_pin": "7391", "new_pin_repeat": "7391"}
    )
    assert response.status_code == 204
    assert api.call("GET", "/overview").status_code == 200


@pytest.mark.django_db
def test_trivial_new_pin_refused_with_reason(api: ApiClient, customer: Customer) -> None:
    api.login(customer.id_number, customer.pin)
    body = _problem(
        api.call(
            "POST",
            "/auth/pin",
            {"current_pin": customer.pin, "new_pin": "0000", "new_pin_repeat": "0000"},
        ),
        422,
        "pin.repeated_digit",
    )
    assert body["errors"][0]["field"] == "new_pin"


@pytest.mark.django_db
def test_wrong_method_and_unknown_path() -> None:
    assert Client().get("/api/v1/auth/login").status_code == 405
    assert Client().get("/api/v1/nothing").status_code == 404


@pytest.mark.django_db
def test_token_login_through_the_api(api: ApiClient, customer: Customer) -> None:
    from trygg.identity.models import TokenKind
    from trygg.identity.tokens import (
        token_dispatch,
        token_expected_response,
        token_hand_over,
        token_order,
    )
    from trygg.kernel.audit import SYSTEM

    token = token_order(ctx=SYSTEM, party=customer.party, kind=TokenKind.OCRA)
    token_dispatch(ctx=SYSTEM, token=token, by_post=False)
    token_hand_over(ctx=SYSTEM, token=token)
    api.csrf()
    started = api.call("POST", "/auth/token/start", {"id_number": customer.id_number}).json()
    assert started["expires_in"] == 180
    response = api.call(
        "POST",
        "/auth/token/login",
        {"response": token_expected_response(token, started["challenge"])},
    )
    assert response.status_code == 200
    api.token = api.client.cookies["trygg_csrftoken"].value
    assert api.call("GET", "/me").json()["authentication_level"] == 2
    # The challenge answered once cannot be answered again.
    again = api.call("POST", "/auth/token/login", {"response": "12345678"})
    _problem(again, 422, "token.challenge_expired")


@pytest.mark.django_db
def test_telephone_bank_shares_the_pin_and_the_counter(
    api: ApiClient, customer: Customer, telephony: dict[str, str]
) -> None:
    from trygg.identity.models import LoginEvent

    api.csrf()
    for _ in range(4):
        wrong = api.call(
            "POST",
            "/phone/auth/pin",
            {"id_number": customer.id_number, "pin": "9999"},
            headers=telephony,
        )
        assert wrong.status_code == 401
    assert wrong.json()["attempts_left"] == 1
    web = ApiClient()
    locked = web.login(customer.id_number, "9999")  # the fifth, on the web
    assert locked.json()["code"] == "login.locked"
    channels = set(
        LoginEvent.objects.filter(party=customer.party, method="pin").values_list(
            "channel", flat=True
        )
    )
    assert channels == {"phone", "api"}


@pytest.mark.django_db
def test_telephone_session_may_do_what_a_pin_session_may(
    api: ApiClient, customer: Customer, telephony: dict[str, str]
) -> None:
    api.csrf()
    response = api.call(
        "POST",
        "/phone/auth/pin",
        {"id_number": customer.id_number, "pin": customer.pin},
        headers=telephony,
    )
    assert response.status_code == 200
    api.token = api.client.cookies["trygg_csrftoken"].value
    me = api.call("GET", "/me").json()
    assert me["authentication_level"] == 1  # one factor: signing still needs token or BankID
