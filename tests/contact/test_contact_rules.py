"""The contact app's pure rules: the interaction's state table, the controller per purpose and
matter (seed 003), a site's controller on a date, the random draw for review."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.contact import rules
from trygg.contact.rules import InteractionState as S
from trygg.contact.rules import Matter, Purpose

D = dt.date

# (purpose, from, to, allowed)
MOVES = [
    ("quality", S.RECORDING, S.STORED, True),
    ("threat", S.RECORDING, S.STORED, True),
    ("quality", S.RECORDING, S.DECLINED, True),
    ("threat", S.RECORDING, S.DECLINED, False),  # a threat is recorded whatever is said
    ("threat", S.STORED, S.REPORTED, True),
    ("quality", S.STORED, S.REPORTED, False),
    ("quality", S.DECLINED, S.STORED, False),  # a declined recording's file is never stored
    ("threat", S.REPORTED, S.STORED, False),
    ("quality", S.STORED, S.DECLINED, False),
    ("threat", S.RECORDING, S.REPORTED, False),
]


@pytest.mark.parametrize(("purpose", "now", "to", "allowed"), MOVES)
def test_the_interaction_state_table(purpose: str, now: S, to: S, allowed: bool) -> None:
    if allowed:
        rules.check_move(purpose, now, to)
    else:
        with pytest.raises(rules.RuleError):
            rules.check_move(purpose, now, to)


def test_every_state_is_in_the_table() -> None:
    assert set(rules.INTERACTION_TRANSITIONS) == set(S)


@pytest.mark.parametrize(
    ("purpose", "matter", "controller"),
    [
        # seed 003: quality recordings about banking services: the bank; other matters: LF Stockholm
        (Purpose.QUALITY, Matter.BANKING, "Länsförsäkringar Bank AB (publ)"),
        (Purpose.QUALITY, Matter.INSURANCE, "Länsförsäkringar Stockholm"),
        (Purpose.QUALITY, Matter.OTHER, "Länsförsäkringar Stockholm"),
        # seed 003: LF Stockholm is the controller of threat recordings, whatever the matter
        (Purpose.THREAT, Matter.BANKING, "Länsförsäkringar Stockholm"),
        (Purpose.THREAT, Matter.INSURANCE, "Länsförsäkringar Stockholm"),
    ],
)
def test_the_controller_follows_purpose_and_matter(
    purpose: Purpose, matter: Matter, controller: str
) -> None:
    assert rules.interaction_controller(purpose, matter) == controller


@pytest.mark.parametrize("purpose", [None, "", "marketing"])
def test_a_recording_without_a_known_purpose_is_refused(purpose: str | None) -> None:
    with pytest.raises(rules.RuleError) as error:
        rules.check_purpose(purpose)
    assert error.value.field == "purpose"


CHANGES = [(D(2018, 5, 25), "Länsförsäkringar Stockholm"), (D(2027, 3, 1), "Länsförsäkringar AB")]


@pytest.mark.parametrize(
    ("day", "controller"),
    [
        (D(2018, 5, 25), "Länsförsäkringar Stockholm"),
        (D(2027, 2, 28), "Länsförsäkringar Stockholm"),
        (D(2027, 3, 1), "Länsförsäkringar AB"),  # the change applies from its date
        (D(2030, 1, 1), "Länsförsäkringar AB"),
    ],
)
def test_a_change_of_controller_applies_from_its_date(day: D, controller: str) -> None:
    assert rules.controller_on(CHANGES, day) == controller


def test_before_the_first_controller_there_is_none() -> None:
    with pytest.raises(rules.RuleError):
        rules.controller_on(CHANGES, D(2018, 5, 24))


@pytest.mark.parametrize(
    ("since", "name", "code"),
    [
        (D(2026, 11, 21), "Länsförsäkringar AB", "site.controller_backdated"),
        (D(2027, 3, 1), " ", "site.controller_name"),
        (D(2018, 5, 25), "Länsförsäkringar AB", "site.controller_backdated"),
    ],
)
def test_a_change_of_controller_refused(since: D, name: str, code: str) -> None:
    with pytest.raises(rules.RuleError) as error:
        rules.check_controller_change(CHANGES, since, name, D(2026, 11, 22))
    assert error.value.code == code


def test_a_second_change_on_the_same_day_is_refused() -> None:
    with pytest.raises(rules.RuleError) as error:
        rules.check_controller_change(CHANGES, D(2027, 3, 1), "X", D(2026, 11, 22))
    assert error.value.code == "site.controller_same_day"


@given(
    candidates=st.lists(st.integers(1, 10_000), unique=True, max_size=50),
    count=st.integers(1, 20),
    seed=st.integers(),
)
def test_the_draw_takes_distinct_candidates_only(
    candidates: list[int], count: int, seed: int
) -> None:
    drawn = rules.draw_for_review(candidates, count, random.Random(seed))
    assert len(drawn) == min(count, len(candidates))
    assert len(set(drawn)) == len(drawn) and set(drawn) <= set(candidates)
