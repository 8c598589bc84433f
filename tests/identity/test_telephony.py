"""The telephone bank's endpoints answer the configured telephony platform only."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import TELEPHONY_KEY, ApiClient, Customer
from trygg.identity.auth import telephony_platform
from trygg.identity.models import LoginThrottle
from trygg.kernel.models import AuditEvent

PHONE_ENDPOINTS = [
    ("/phone/auth/pin", {"id_number": "198112189876", "pin": "4826"}),
    ("/phone/auth/bankid", {"id_number": "198112189876", "customer_called": True}),
    ("/phone/auth/bankid/collect", None),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "body"), PHONE_ENDPOINTS)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_X_TELEPHONY_KEY": ""},
        {"HTTP_X_TELEPHONY_KEY": "wrong-key-0123456789abcdefghijklmnop"},
        {"HTTP_X_TELEPHONY_KEY": TELEPHONY_KEY[:-1]},
    ],
    ids=["no key", "empty key", "wrong key", "almost the key"],
)
def test_an_anonymous_caller_gets_401_and_changes_nothing(
    api: ApiClient, telephony: dict[str, str], path: str, body: Any, headers: dict[str, str]
) -> None:
    api.csrf()
    before = AuditEvent.objects.count()
    response = api.call("POST", path, body, headers=headers)
    assert response.status_code == 401
    problem = response.json()
    assert problem["code"] == "telephony.unauthenticated"
    assert "X-Telephony-Key" in problem["detail"]
    assert response["Content-Type"] == "application/problem+json"
    assert not LoginThrottle.objects.exists()  # no PIN was tried, nothing counted
    assert AuditEvent.objects.count() == before
    assert "trygg.phone_bankid" not in api.client.session


@pytest.mark.django_db
def test_the_platform_with_its_key_is_served_and_named_in_the_audit_log(
    api: ApiClient, customer: Customer, telephony: dict[str, str]
) -> None:
    api.csrf()
    response = api.call(
        "POST",
        "/phone/auth/pin",
        {"id_number": customer.id_number, "pin": customer.pin},
        headers=telephony,
    )
    assert response.status_code == 200 and response.json()["party_id"] == customer.party.pk
    login = AuditEvent.objects.filter(action="login", subject_id=str(customer.party.pk)).latest(
        "id"
    )
    assert login.channel == "phone"


def test_keys_are_compared_whole_and_each_platform_has_its_own(settings: Any) -> None:
    settings.TRYGG_TELEPHONY_KEYS = {"ivr": "a" * 40, "desk": "b" * 40}
    assert telephony_platform("a" * 40) == "ivr"
    assert telephony_platform("b" * 40) == "desk"
    for wrong in (None, "", "a" * 39, "a" * 41, "A" * 40):
        assert telephony_platform(wrong) is None
    settings.TRYGG_TELEPHONY_KEYS = {}
    assert telephony_platform("a" * 40) is None  # none configured: nobody is served


@pytest.mark.django_db
def test_the_openapi_document_lists_the_401_problem(api: ApiClient) -> None:
    schema = api.client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/phone/auth/pin", "/api/v1/phone/auth/bankid"):
        operation = schema["paths"][path]["post"]
        assert "401" in operation["responses"]
        assert operation.get("security")  # the platform's key is required
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("name") == "X-Telephony-Key" for s in schemes.values())
