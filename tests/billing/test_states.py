"""A mandate's (and a charge's) state changes only along the table: one row under a conditional
update on the state it was read in, many rows from the table's from-states."""

from __future__ import annotations

import pytest

from tests.billing.conftest import Payer, register
from trygg.billing import rules, states
from trygg.billing.models import Mandate

pytestmark = pytest.mark.django_db


def test_a_mandate_read_before_another_change_is_not_moved(payer: Payer) -> None:
    register(payer)
    first, stale = Mandate.objects.get(), Mandate.objects.get()
    states.mandate_move(first, rules.MandateState.SENT)
    with pytest.raises(rules.RuleError) as refused:
        states.mandate_move(stale, rules.MandateState.SENT)
    assert refused.value.code == "mandate.transition"
    assert Mandate.objects.get().state == "sent"


def test_a_move_the_table_does_not_allow_is_refused(payer: Payer) -> None:
    mandate = register(payer)
    with pytest.raises(rules.RuleError):
        states.mandate_move(mandate, rules.MandateState.ACTIVE)  # not yet at Bankgirot
    assert Mandate.objects.get().state == "requested"


def test_a_set_based_move_leaves_rows_the_table_does_not_let_move(payer: Payer) -> None:
    register(payer)
    rows = Mandate.objects.all()
    assert states.mandates_move(rows, rules.MandateState.SENT) == 1
    assert states.mandates_move(rows, rules.MandateState.SENT) == 0  # sent -> sent: no step
    assert states.mandates_move(rows, rules.MandateState.REQUESTED) == 0
    assert Mandate.objects.get().state == "sent"
