"""Whom a person acts for: themself and the firms they own as sole traders, nobody else. The rule
is read as a filter (accounts, orders) and as a UNION (the overview's contact details); both give
the same set at the rule's edges."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import Customer, make_customer
from trygg.kernel.audit import SYSTEM
from trygg.parties.models import Address, ContactMethod, Party
from trygg.parties.selectors import _CONTACT_ROWS, accessible_parties, accessible_q
from trygg.parties.services import ContactInput, sole_trader_firm_register


def _firm(owner: Customer, name: str) -> Party:
    return sole_trader_firm_register(
        ctx=SYSTEM,
        person=owner.party,
        firm_name=name,
        since=dt.date(2015, 4, 1),
        contact=ContactInput(street="Verkstadsgatan 4", postal_code="41701", city="Göteborg"),
    )


@pytest.mark.django_db
def test_a_person_acts_for_themself_and_their_own_firm_only() -> None:
    owner = make_customer(born=dt.date(1975, 3, 4), pin="5067")
    other = make_customer(born=dt.date(1980, 1, 2), pin="7391")
    own_firm, others_firm = _firm(owner, "Eks Snickeri"), _firm(other, "Andras Måleri")
    loner = make_customer(born=dt.date(1990, 7, 30), pin="6139")

    expected = {owner.party.pk, own_firm.pk}
    assert {p.pk for p in accessible_parties(owner.party)} == expected
    for model in (Address, ContactMethod):
        filtered = set(
            model.objects.filter(accessible_q(owner.party)).values_list("party_id", flat=True)
        )
        assert filtered <= expected
    assert [row[0] for row in _CONTACT_ROWS(owner.party.pk)].count(own_firm.pk) == 1
    assert {row[0] for row in _CONTACT_ROWS(owner.party.pk)} == expected
    assert others_firm.pk not in {p.pk for p in accessible_parties(owner.party)}

    # A person without a firm acts for themself alone; nobody acts for another's firm.
    assert [p.pk for p in accessible_parties(loner.party)] == [loner.party.pk]
    assert [row[0] for row in _CONTACT_ROWS(loner.party.pk)] == [loner.party.pk]
    assert not Party.objects.filter(accessible_q(loner.party, field=""), pk=others_firm.pk)
