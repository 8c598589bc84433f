"""Bad input is never a 500: ids beyond 64 bits, unknown enum values beside other errors, odd
digits ("1_000", digits of other scripts, exponents), unreadable bodies; and the OpenAPI
document lists every problem response an operation can give."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tests.backoffice.test_backoffice import _login, _staff
from tests.conftest import ApiClient, Customer, portal_login
from trygg.banking import rules
from trygg.banking.models import Account, LedgerTransaction
from trygg.banking.services import account_open, incoming_payment_book
from trygg.kernel.audit import SYSTEM
from trygg.kernel.ids import MAX_ID, IdConverter, as_id
from trygg.kernel.money import MoneyError, parse_amount_text

HUGE = 2**64 + 1  # beyond a 64-bit id; SQLite cannot even bind it
ARABIC_INDIC_100 = "\u0661\u0660\u0660"  # ١٠٠
FULLWIDTH_12 = "\uff11\uff12"  # １２


@pytest.fixture
def funded(api: ApiClient, customer: Customer) -> tuple[Account, Account]:
    main = account_open(ctx=SYSTEM, party=customer.party, name="Lönekonto")
    savings = account_open(ctx=SYSTEM, party=customer.party, name="Sparkonto")
    incoming_payment_book(account=main, amount=Decimal("1000.00"), text="Lön")
    api.login(customer.id_number, customer.pin)
    return main, savings


def _fields(response: Any) -> set[str]:
    assert response["Content-Type"] == "application/problem+json", response.content
    return {e["field"] for e in response.json()["errors"]}


# -- ids beyond 64 bits ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, 1),
        (MAX_ID, MAX_ID),
        (0, None),
        (-1, None),
        (MAX_ID + 1, None),
        (True, None),
        ("1", None),
    ],
)
def test_an_id_is_a_whole_number_in_the_64_bit_range(value: object, expected: int | None) -> None:
    assert as_id(value) == expected


def test_the_id_path_converter_refuses_what_no_row_can_have() -> None:
    converter = IdConverter()
    assert converter.to_python(str(MAX_ID)) == MAX_ID
    for text in (str(MAX_ID + 1), "0", "9" * 19):
        with pytest.raises(ValueError, match="range"):
            converter.to_python(text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "field"),
    [
        (f"/accounts/{HUGE}/transactions", "account_id"),
        (f"/parties/{HUGE}/contact-details", "party_id"),
        ("/accounts/0/transactions", "account_id"),
    ],
)
def test_api_path_ids_beyond_64_bits_are_refused_naming_the_field(
    api: ApiClient, funded: Any, path: str, field: str
) -> None:
    response = api.call("GET", path)
    assert response.status_code == 422
    assert _fields(response) == {field}


@pytest.mark.django_db
def test_api_body_ids_beyond_64_bits_are_refused_and_nothing_is_booked(
    api: ApiClient, funded: tuple[Account, Account]
) -> None:
    main, _savings = funded
    before = LedgerTransaction.objects.count()
    response = api.call(
        "POST", "/transfers", {"from_account": main.pk, "to_account": HUGE, "amount": "5"}
    )
    assert response.status_code == 422
    assert _fields(response) == {"to_account"}
    response = api.call(
        "POST", "/payments/payee", {"from_account": HUGE, "payee_id": -3, "amount": "5"}
    )
    assert response.status_code == 422
    assert _fields(response) == {"from_account", "payee_id"}
    assert LedgerTransaction.objects.count() == before


@pytest.mark.django_db
def test_portal_paths_with_huge_ids_are_not_found(customer: Customer) -> None:
    client = Client()
    portal_login(client, customer.id_number, customer.pin)
    for path in (
        f"/bank/accounts/{HUGE}/",
        f"/bank/payees/{HUGE}/pay/",
        f"/profile/{HUGE}/",
        f"/autogiro/notices/{HUGE}/",
    ):
        assert client.get(path).status_code == 404, path


@pytest.mark.django_db
def test_back_office_paths_with_huge_ids_are_not_a_server_error(customer: Customer) -> None:
    user, device = _staff("customer_service")
    client = Client()
    _login(client, user, device)
    for path in (
        f"/backoffice/parties/party/{HUGE}/change/",
        f"/backoffice/parties/party/{HUGE}/audit/",
        f"/backoffice/banking/account/{HUGE}/change/",
    ):
        assert client.get(path).status_code in (302, 404), path


# -- odd digits and numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1500", Decimal("1500")),
        ("1 500,50", Decimal("1500.50")),
        ("12\u00a0345 678.90", Decimal("12345678.90")),
        ("99.5", Decimal("99.5")),
        (" 20 ", Decimal("20")),
        ("-20", Decimal("-20")),
        (7, Decimal(7)),
    ],
)
def test_amounts_as_people_type_them(text: object, expected: Decimal) -> None:
    assert parse_amount_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "1_000",
        ARABIC_INDIC_100,
        FULLWIDTH_12,
        "1e3",
        "1E-2",
        "Infinity",
        "NaN",
        "0x10",
        "1,2,3",
        "1 50",
        "--5",
        "+5",
        "",
        "5 kr",
        1.5,
        True,
        None,
        Decimal("NaN"),
    ],
)
def test_odd_amounts_are_refused(text: object) -> None:
    with pytest.raises(MoneyError) as refused:
        parse_amount_text(text)
    assert refused.value.code == "amount.format"
    with pytest.raises(rules.RuleError) as refused_in_banking:
        rules.parse_amount(text)
    assert refused_in_banking.value.code == "amount.format"


@pytest.mark.parametrize(
    ("kind", "number"),
    [
        (
            "bankgiro",
            "\u0665\u0660\u0665\u0660-\u0661\u0660\u0665\u0665",
        ),  # 5050-1055, Arabic-Indic
        ("plusgiro", "\uff14\uff17\uff11\uff11\uff11-\uff11"),  # fullwidth
    ],
)
def test_giro_numbers_in_other_digits_are_refused(kind: str, number: str) -> None:
    with pytest.raises(rules.RuleError) as refused:
        rules.parse_destination(kind, number)
    assert refused.value.code == f"{kind}.format"


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["1_000", ARABIC_INDIC_100, "1e3", FULLWIDTH_12])
def test_api_transfer_with_odd_digits_is_refused_naming_the_field(
    api: ApiClient, funded: tuple[Account, Account], amount: str
) -> None:
    main, savings = funded
    response = api.call(
        "POST", "/transfers", {"from_account": main.pk, "to_account": savings.pk, "amount": amount}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "amount", "code": "amount.format", "detail": response.json()["detail"]}
    ]
    main.refresh_from_db()
    assert main.balance == Decimal("1000.00")


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["1_000", ARABIC_INDIC_100])
def test_portal_transfer_with_odd_digits_is_refused(customer: Customer, amount: str) -> None:
    main = account_open(ctx=SYSTEM, party=customer.party, name="Lönekonto")
    savings = account_open(ctx=SYSTEM, party=customer.party, name="Sparkonto")
    incoming_payment_book(account=main, amount=Decimal("5000.00"), text="Lön")
    client = Client()
    portal_login(client, customer.id_number, customer.pin)
    response = client.post(
        "/bank/transfer/",
        {"from_account": main.pk, "to_account": savings.pk, "amount": amount, "message": ""},
    )
    assert response.status_code == 422
    main.refresh_from_db()
    assert main.balance == Decimal("5000.00")


# -- unknown enum values beside other errors ------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_kind_is_named_beside_the_other_problems(api: ApiClient, funded: Any) -> None:
    response = api.call(
        "POST",
        "/insurance/applications/signing",
        {
            "kind": "fund",
            "insured_id_number": "",
            "insured_given_name": "",
            "insured_family_name": "",
            "level": 10,
            "period": "weekly",
            "payment_method": "cash",
            "replaces_other": False,
            "privacy_notice_shown": True,
            "answers": {},
        },
    )
    assert response.status_code == 422, response.content
    fields = _fields(response)
    assert "kind" in fields and len(fields) > 1, fields


@pytest.mark.django_db
def test_an_unknown_registration_kind_is_a_named_problem(api: ApiClient, funded: Any) -> None:
    response = api.call(
        "POST",
        "/registrations/signing",
        {"kind": "sms", "biller_name": "", "biller_bankgiro": "x", "payer_reference": ""},
    )
    assert response.status_code == 422
    assert {"kind", "biller_name", "biller_bankgiro", "payer_reference"} <= _fields(response)


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["k" * 81, "nyckel med mellanslag", "n\u00e4sta"])
def test_a_malformed_idempotency_key_is_refused_and_nothing_is_booked(
    api: ApiClient, funded: tuple[Account, Account], key: str
) -> None:
    main, savings = funded
    response = api.call(
        "POST",
        "/transfers",
        {"from_account": main.pk, "to_account": savings.pk, "amount": "5"},
        headers={"HTTP_IDEMPOTENCY_KEY": key},
    )
    assert response.status_code == 422
    assert _fields(response) == {"Idempotency-Key"}
    assert LedgerTransaction.objects.filter(kind="transfer").count() == 0
    uuid = "0f8fad5b-d9cb-469f-a165-70867728950e"
    response = api.call(
        "POST",
        "/transfers",
        {"from_account": main.pk, "to_account": savings.pk, "amount": "5"},
        headers={"HTTP_IDEMPOTENCY_KEY": uuid},
    )
    assert response.status_code == 201


# -- unreadable bodies ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_multipart_body_without_boundary_is_a_bad_request(api: ApiClient, funded: Any) -> None:
    response = api.client.post(
        "/api/v1/transfers",
        data=b"--x\r\n",
        content_type="multipart/form-data",
        HTTP_X_CSRFTOKEN=api.token,
    )
    assert response.status_code == 400
    assert response.json()["code"] == "request.malformed"


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_a_bad_request(api: ApiClient, funded: Any) -> None:
    response = api.call("POST", "/transfers", raw="\x00")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


# -- the OpenAPI document -------------------------------------------------------------------------


def test_every_operation_documents_its_problem_responses() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "Problem" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "500" in responses, (method, path)
            if operation.get("security"):
                assert {"401", "403"} <= set(responses), (method, path)
            if method in ("post", "put"):
                assert {"400", "403", "409", "422"} <= set(responses), (method, path)
            if "{" in path:
                assert {"404", "422"} <= set(responses), (method, path)
            problem = responses["500"]["content"]["application/problem+json"]["schema"]
            assert problem == {"$ref": "#/components/schemas/Problem"}
    transactions = schema["paths"]["/api/v1/accounts/{account_id}/transactions"]["get"]
    account_id = next(p for p in transactions["parameters"] if p["name"] == "account_id")
    assert account_id["schema"]["maximum"] == MAX_ID and account_id["schema"]["minimum"] == 1
