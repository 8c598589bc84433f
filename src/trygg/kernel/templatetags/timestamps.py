"""``{{ value|timestamp }}``: a point in time as trygg shows it everywhere, in the business's
time zone (``TIME_ZONE``), ``2026-12-02 17:05:09`` (``|timestamp:"minutes"``: ``2026-12-02
17:05``). It is the log-in table's cell on every overview, so it formats directly instead of
through Django's general ``date`` filter."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()

_FORMATS = {"seconds": "%Y-%m-%d %H:%M:%S", "minutes": "%Y-%m-%d %H:%M"}


@register.filter
def timestamp(value: dt.datetime | None, precision: str = "seconds") -> str:
    if value is None or value == "":
        return ""
    local = value.astimezone(timezone.get_default_timezone()) if value.tzinfo else value
    return local.strftime(_FORMATS[precision])
