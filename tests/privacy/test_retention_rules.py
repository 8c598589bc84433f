"""Retention periods to the day (pure rules): the cut-off per rule, months clamped to the end
of the month, bookkeeping to the end of the seventh year, no run for a future date, holds lifted
once."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.privacy import rules

D = dt.date


@pytest.mark.parametrize(
    ("rule", "on", "last_gone"),
    [
        # A visit on 1 December is kept 1 day from the day of the visit: gone on the 2nd.
        ("visitor", D(2026, 12, 2), D(2026, 12, 1)),
        ("visitor-30", D(2026, 12, 31), D(2026, 12, 1)),
        ("camera", D(2026, 12, 15), D(2026, 12, 1)),
        ("camera-30", D(2026, 12, 31), D(2026, 12, 1)),
        ("recording-threat", D(2026, 12, 31), D(2026, 12, 1)),
        ("recording-quality", D(2027, 3, 1), D(2027, 1, 30)),
        ("blocked-request", D(2026, 12, 7), D(2026, 9, 7)),
        ("blocked-request", D(2026, 5, 31), D(2026, 2, 28)),  # no 31 February
        ("access-log", D(2027, 3, 31), D(2026, 2, 28)),
        ("access-log", D(2028, 3, 31), D(2027, 2, 28)),
        ("access-log", D(2029, 3, 31), D(2028, 2, 29)),  # a leap year
        ("backup", D(2026, 12, 7), D(2025, 11, 7)),
        ("survey", D(2026, 12, 7), D(2025, 6, 7)),
        ("survey-free-text", D(2026, 12, 7), D(2025, 12, 7)),
        ("ticket", D(2026, 12, 7), D(2023, 12, 7)),
        ("ticket", D(2028, 2, 28), D(2025, 2, 28)),
        ("application-archive", D(2036, 12, 7), D(2026, 12, 7)),
        ("blocking-report", D(2029, 12, 7), D(2026, 12, 7)),
        ("test-data", D(2026, 12, 7), D(2026, 12, 7)),
        # Bookkeeping: kept to the end of the seventh year after the record's year.
        ("bookkeeping", D(2026, 12, 31), D(2018, 12, 31)),
        ("bookkeeping", D(2027, 1, 1), D(2019, 12, 31)),
        ("bookkeeping", D(2027, 6, 30), D(2019, 12, 31)),
    ],
)
def test_cutoff(rule: str, on: D, last_gone: D) -> None:
    retention = rules.rule(rule)
    assert rules.cutoff(retention, on) == last_gone
    assert rules.has_passed(retention, last_gone, on)
    assert not rules.has_passed(retention, last_gone + dt.timedelta(days=1), on)


def test_a_record_of_2019_is_kept_through_2026_and_gone_in_2027() -> None:
    bookkeeping = rules.rule("bookkeeping")
    assert not rules.has_passed(bookkeeping, D(2019, 1, 1), D(2026, 12, 31))
    assert rules.has_passed(bookkeeping, D(2019, 12, 31), D(2027, 1, 1))


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)), st.integers(0, 240))
def test_months_before_lands_in_the_right_month(day: D, months: int) -> None:
    earlier = rules.months_before(day, months)
    assert (day.year * 12 + day.month) - (earlier.year * 12 + earlier.month) == months
    assert earlier.day == day.day or earlier.day < day.day


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)))
def test_the_cutoff_never_moves_back_as_days_pass(day: D) -> None:
    for retention in rules.RULES.values():
        assert rules.cutoff(retention, day) <= rules.cutoff(retention, day + dt.timedelta(days=1))


def test_no_run_for_a_future_date() -> None:
    rules.check_run_date(D(2026, 12, 7), D(2026, 12, 7))
    rules.check_run_date(D(2026, 1, 1), D(2026, 12, 7))
    with pytest.raises(rules.RuleError) as raised:
        rules.check_run_date(D(2026, 12, 8), D(2026, 12, 7))
    assert raised.value.code == "retention.future_date"
    assert raised.value.field == "date"


def test_unknown_rule() -> None:
    with pytest.raises(rules.RuleError) as raised:
        rules.rule("forever")
    assert raised.value.code == "retention.rule"


@pytest.mark.parametrize(
    ("now", "to", "allowed"),
    [
        ("active", "lifted", True),
        ("lifted", "active", False),
        ("lifted", "lifted", False),
        ("active", "active", False),
    ],
)
def test_hold_transitions(now: str, to: str, allowed: bool) -> None:
    if allowed:
        rules.check_move(rules.HOLD_TRANSITIONS, now, to)
    else:
        with pytest.raises(rules.RuleError) as raised:
            rules.check_move(rules.HOLD_TRANSITIONS, now, to)
        assert raised.value.code == "hold.transition"


def test_the_rules_and_the_map_vocabulary_do_not_import_django() -> None:
    """Pure modules (the import-linter contract of pure rules is kept by its owners; this is
    the same check for the privacy rules and the map's vocabulary)."""
    import subprocess
    import sys

    code = (
        "import sys, trygg.privacy.rules, trygg.kernel.datamap; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
