"""Back-office search by identity number: every change list that lists persons or their records
finds the person however a clerk types the number."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.test_personal_data_reads import _object_of, _superuser_client
from tests.walk import Seeded, seed_demo_customer
from trygg.kernel.admin import IdNumberSearchMixin, id_number_of
from trygg.parties.models import Party

# The apps whose back office this search covers; protection keeps its own search for now.
COVERED_APPS = {"parties", "identity", "insurance", "billing", "claims", "banking"}


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("19580509-7747", "195805097747"),
        ("195805097747", "195805097747"),
        ("580509-7747", "195805097747"),
        ("5805097747", "195805097747"),
        (" 580509 - 7747 ", "195805097747"),
        ("19580509 7747", "195805097747"),
        ("261215+9802", "192612159802"),
        ("701063-2391", "197010632391"),
        ("197010632391", "197010632391"),
        ("556036-0793", "5560360793"),
        ("5560360793", "5560360793"),
        ("16556036-0793", "5560360793"),
        ("151086 95088", "15108695088"),
        ("15108695088", "15108695088"),
    ],
)
def test_a_search_term_in_any_usual_format_is_the_stored_number(typed: str, value: str) -> None:
    parsed = id_number_of(typed)
    assert parsed is not None and parsed.value == value


@pytest.mark.parametrize("typed", ["", "Berg", "1958", "19580509-7748", "x" * 40, "12-34"])
def test_a_search_term_that_is_no_identity_number_is_none(typed: str) -> None:
    assert id_number_of(typed) is None


def _formats(value: str) -> list[str]:
    """The four usual ways to write a 12-digit Swedish personal number, and with a space."""
    return [
        f"{value[:8]}-{value[8:]}",
        value,
        f"{value[2:8]}-{value[8:]}",
        value[2:],
        f"{value[:8]} {value[8:]}",
    ]


@pytest.fixture
def seeded(db: Any, frozen: Any) -> Seeded:
    return seed_demo_customer(0)


def _listed(client: Client, model: Any, term: str) -> set[Any]:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url, {"q": term})
    assert response.status_code == 200, (url, response.status_code)
    return {o.pk for o in response.context["cl"].result_list}


def test_every_change_list_of_a_persons_records_finds_them_by_identity_number(
    seeded: Seeded,
) -> None:
    person = seeded.customer.party
    client = _superuser_client()
    searched, missing, unsearchable = [], [], []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in COVERED_APPS:
            continue
        obj = _object_of(model, person)
        if obj is None:
            continue
        if not isinstance(model_admin, IdNumberSearchMixin):
            unsearchable.append(model._meta.label)
            continue
        searched.append(model._meta.label)
        for term in _formats(person.id_number):
            if obj.pk not in _listed(client, model, term):
                missing.append((model._meta.label, term))
    assert not unsearchable, f"change lists without identity-number search: {unsearchable}"
    assert not missing, f"not found: {missing}"
    assert {
        "parties.Party",
        "insurance.Policy",
        "insurance.Application",
        "claims.Claim",
        "billing.Mandate",
        "billing.Charge",
        "banking.Account",
    } <= set(searched)


def test_a_search_for_another_persons_number_does_not_list_this_person(seeded: Seeded) -> None:
    person = seeded.customer.party
    client = _superuser_client()
    listed = _listed(client, Party, "19800515-2387")
    assert person.pk not in listed
