import datetime as dt

import pytest

from trygg.kernel import clock


def test_business_date_can_be_fixed_and_restored() -> None:
    before = clock.today()
    with clock.business_date(dt.date(2026, 12, 24)):
        assert clock.today() == dt.date(2026, 12, 24)
    assert clock.today() == before


def test_today_is_in_the_business_time_zone() -> None:
    # 23:30 UTC on 31 Dec is already New Year's Day in Stockholm.
    with clock.frozen_now(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)):
        assert clock.today() == dt.date(2027, 1, 1)


def test_frozen_instant_moves_only_when_advanced() -> None:
    start = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
    with clock.frozen_now(start) as advance:
        assert clock.now() == start
        advance(dt.timedelta(minutes=5))
        assert clock.now() == start + dt.timedelta(minutes=5)


def test_naive_instant_refused() -> None:
    with (
        pytest.raises(ValueError, match="timezone-aware"),
        clock.frozen_now(dt.datetime(2026, 1, 1)),
    ):
        pass


@pytest.mark.parametrize("text", ["2026-13-01", "22/11/2026", "", "2026-02-29"])
def test_parse_date_names_the_form(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        clock.parse_date(text)
