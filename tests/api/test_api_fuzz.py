"""Whatever a client sends, the API answers with a problem naming the rule, never a 500, and
changes nothing it should not."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ApiClient, Customer

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
login_bodies = (
    st.fixed_dictionaries(
        {}, optional={"id_number": json_values | st.text(max_size=30), "pin": json_values}
    )
    | json_values
)
contact_bodies = st.fixed_dictionaries(
    {},
    optional={
        name: json_values | st.text(max_size=300)
        for name in ("street", "postal_code", "city", "care_of", "email", "mobile", "home_phone")
    },
)

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.django_db
@SETTINGS
@given(body=login_bodies)
def test_login_never_fails_with_a_server_error(api: ApiClient, body: Any) -> None:
    api.csrf()
    response = api.call("POST", "/auth/login", raw=json.dumps(body))
    assert response.status_code in (401, 422), response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] and problem["detail"]


@pytest.mark.django_db
@SETTINGS
@given(body=contact_bodies)
def test_contact_update_validates_everything(
    api: ApiClient, customer: Customer, body: dict[str, Any]
) -> None:
    if not api.client.cookies.get("trygg_session"):
        api.login(customer.id_number, customer.pin)
    before = api.call("GET", f"/parties/{customer.party.pk}/contact-details").json()
    response = api.call("PUT", f"/parties/{customer.party.pk}/contact-details", body)
    assert response.status_code in (200, 422), response.content
    if response.status_code == 422:
        assert response["Content-Type"] == "application/problem+json"
        assert all(e["field"] for e in response.json()["errors"])
        after = api.call("GET", f"/parties/{customer.party.pk}/contact-details").json()
        assert after == before
