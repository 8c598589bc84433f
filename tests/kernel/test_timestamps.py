"""The one timestamp format of pages and back office: local time, to the second or minute."""

from __future__ import annotations

import datetime as dt

from django.template import Context, Template

from trygg.kernel.templatetags.timestamps import timestamp


def test_a_timestamp_is_shown_in_swedish_local_time_winter_and_summer() -> None:
    assert timestamp(dt.datetime(2026, 12, 2, 16, 5, 9, 999, tzinfo=dt.UTC)) == (
        "2026-12-02 17:05:09"
    )
    assert timestamp(dt.datetime(2026, 7, 1, 22, 30, 0, tzinfo=dt.UTC)) == "2026-07-02 00:30:00"
    assert timestamp(dt.datetime(2026, 7, 1, 22, 30, 59, tzinfo=dt.UTC), "minutes") == (
        "2026-07-02 00:30"
    )


def test_a_missing_time_is_empty_and_the_filter_loads_in_templates() -> None:
    assert timestamp(None) == ""
    page = Template("{% load timestamps %}[{{ at|timestamp }}][{{ none|timestamp }}]")
    at = dt.datetime(2026, 1, 31, 23, 0, 0, tzinfo=dt.UTC)
    assert page.render(Context({"at": at, "none": None})) == "[2026-02-01 00:00:00][]"
