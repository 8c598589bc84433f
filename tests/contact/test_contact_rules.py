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


# -- the intake from the recording platform and the door card system (decision 0095) ----------

T = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("late_by", "taken"),
    [
        (dt.timedelta(0), True),
        (dt.timedelta(hours=24), True),
        (dt.timedelta(hours=24) + MIN, False),
    ],
)
def test_a_file_is_taken_up_to_24_hours_after_the_start(late_by: dt.timedelta, taken: bool) -> None:
    if taken:
        rules.check_file_in_time(T, T + late_by)
    else:
        with pytest.raises(rules.RuleError) as error:
            rules.check_file_in_time(T, T + late_by)
        assert (error.value.code, error.value.field) == ("interaction.file_expired", "file")


@pytest.mark.parametrize(
    ("card", "door", "direction", "at", "code"),
    [
        ("", "Entré", "in", T, "passage.card"),
        ("B-1", "  ", "in", T, "passage.door"),
        ("B-1", "Entré", "IN", T, "passage.direction"),
        ("B-1", "Entré", "", T, "passage.direction"),
        ("B-1", "Entré", "out", T + 3 * MIN, "passage.future"),
    ],
)
def test_a_passage_refused(
    card: str, door: str, direction: str, at: dt.datetime, code: str
) -> None:
    with pytest.raises(rules.RuleError) as error:
        rules.check_passage(card=card, door=door, direction=direction, passed_at=at, now=T)
    assert error.value.code == code


def test_a_passage_trimmed_and_a_little_clock_skew_allowed() -> None:
    checked = rules.check_passage(
        card=" B-1 ", door=" Plan  3 ", direction="out", passed_at=T + 2 * MIN, now=T
    )
    assert checked == ("B-1", "Plan 3", rules.Direction.OUT)


# Visits given card B-1: (visit, given, signed out).
HOLDERS = [(1, T, T + 30 * MIN), (2, T + 40 * MIN, None)]


@pytest.mark.parametrize(
    ("at", "outcome"),
    [
        (T - MIN, "passage.card_unknown"),  # before anyone had it
        (T, 1),
        (T + 29 * MIN, 1),
        (T + 30 * MIN, "passage.signed_out"),  # handed back at the sign-out
        (T + 35 * MIN, "passage.signed_out"),
        (T + 40 * MIN, 2),
        (T + 600 * MIN, 2),
    ],
)
def test_a_passage_goes_to_who_held_the_card_then(at: dt.datetime, outcome: object) -> None:
    if isinstance(outcome, int):
        assert rules.holding_visit(HOLDERS, at) == outcome
    else:
        with pytest.raises(rules.RuleError) as error:
            rules.holding_visit(HOLDERS, at)
        assert error.value.code == outcome


@pytest.mark.parametrize(("last", "inside"), [(None, True), ("in", True), ("out", False)])
def test_inside_unless_the_card_last_went_out(last: str | None, inside: bool) -> None:
    assert rules.is_inside(last) is inside


@pytest.mark.parametrize(
    ("started", "code"),
    [
        (T - 24 * 60 * MIN, None),
        (T - 24 * 60 * MIN - MIN, "interaction.started_late"),
        (T + 2 * MIN, None),
        (T + 3 * MIN, "interaction.started_future"),
        (
            dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=14))),
            "interaction.started_late",
        ),
    ],
)
def test_an_interaction_is_reported_within_a_day_of_its_start(
    started: dt.datetime, code: str | None
) -> None:
    if code is None:
        rules.check_started(started, T)
    else:
        with pytest.raises(rules.RuleError) as error:
            rules.check_started(started, T)
        assert (error.value.code, error.value.field) == (code, "started_at")


def test_a_passage_older_than_any_kept_visit_is_refused() -> None:
    rules.check_passage(
        card="B-1", door="Entré", direction="in", passed_at=T - 30 * 24 * 60 * MIN, now=T
    )
    with pytest.raises(rules.RuleError) as error:
        rules.check_passage(
            card="B-1", door="Entré", direction="in", passed_at=T - 30 * 24 * 60 * MIN - MIN, now=T
        )
    assert error.value.code == "passage.too_old"
