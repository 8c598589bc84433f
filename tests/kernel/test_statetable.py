"""The one state-table check every domain uses (pure, table-driven)."""

from __future__ import annotations

import pytest

from trygg.kernel.statetable import RuleError, allowed, check_move, check_table, sources

TABLE = {
    "planned": frozenset({"ordered", "cancelled"}),
    "ordered": frozenset({"paid", "failed", "cancelled"}),
    "failed": frozenset({"ordered"}),
    "paid": frozenset(),
    "cancelled": frozenset(),
}


@pytest.mark.parametrize(
    ("now", "to", "ok"),
    [
        ("planned", "ordered", True),
        ("ordered", "paid", True),
        ("failed", "ordered", True),
        ("planned", "paid", False),
        ("paid", "cancelled", False),
        ("cancelled", "planned", False),
        ("unknown", "paid", False),
    ],
)
def test_a_move_is_allowed_only_by_the_table(now: str, to: str, ok: bool) -> None:
    assert allowed(TABLE, now, to) is ok
    if ok:
        check_move(TABLE, now, to, "charge")
    else:
        with pytest.raises(RuleError) as refused:
            check_move(TABLE, now, to, "charge")
        assert refused.value.code == "charge.transition"
        assert refused.value.field == "state"
        assert refused.value.params == {"state_from": now, "state_to": to}


@pytest.mark.parametrize(
    ("to", "froms"),
    [
        ("ordered", {"planned", "failed"}),
        ("cancelled", {"planned", "ordered"}),
        ("paid", {"ordered"}),
        ("planned", set()),
    ],
)
def test_the_from_states_of_a_set_based_move_come_from_the_table(to: str, froms: set[str]) -> None:
    assert sources(TABLE, to) == froms


def test_a_table_leading_to_an_unlisted_state_is_refused() -> None:
    check_table(TABLE)
    with pytest.raises(ValueError, match="settled"):
        check_table({**TABLE, "paid": frozenset({"settled"})})
