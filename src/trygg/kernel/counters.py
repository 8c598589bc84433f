"""Gap-free named counters, safe under concurrency on SQLite and PostgreSQL."""

from __future__ import annotations

from django.db import transaction

from trygg.kernel.models import Counter


def counter_next(*, name: str, start: int = 1) -> int:
    """The next value of ``name`` (``start`` the first time); rolled back with the caller."""
    with transaction.atomic():
        counter, _ = Counter.objects.select_for_update().get_or_create(
            name=name, defaults={"value": start - 1}
        )
        counter.value += 1
        counter.save(update_fields=["value"])
        return counter.value
