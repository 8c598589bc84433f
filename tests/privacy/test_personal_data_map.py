"""The personal-data map: every field of every model classified, nothing named that does not
exist, every processing it names in the register, every table a rule reaches a real one."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import models

from trygg.kernel.datamap import Category, Expire, ModelMap, Processing, Purge, model_map
from trygg.privacy import discovery, register, rules
from trygg.privacy.discovery import DataMap


def _fields(model: type[models.Model]) -> set[str]:
    return {f.name for f in model._meta.get_fields() if f.concrete}


def problems(data: DataMap) -> list[str]:
    """What is wrong with a map: unclassified fields, classified fields that do not exist,
    models that do not exist."""
    found = []
    for model in apps.get_models():
        entry = data.models.get(model._meta.label)
        if entry is None:
            found.append(f"{model._meta.label}: not in any app's personal_data.py")
            continue
        for name in sorted(_fields(model) - set(entry.fields)):
            found.append(f"{model._meta.label}.{name}: not classified")
        for name in sorted(set(entry.fields) - _fields(model)):
            found.append(f"{model._meta.label}.{name}: classified but no such field")
    installed = {m._meta.label for m in apps.get_models()}
    for label in sorted(set(data.models) - installed):
        found.append(f"{label}: mapped but no such model")
    return found


def test_every_field_of_every_model_is_classified() -> None:
    assert problems(discovery.data_map()) == []


def test_a_new_column_without_a_classification_fails() -> None:
    current = discovery.data_map()
    party = current.models["parties.Party"]
    without = dict(party.fields)
    del without["birth_date"]
    broken = DataMap(
        models={**current.models, "parties.Party": ModelMap("parties.Party", without)},
        owners=current.owners,
        purges=current.purges,
    )
    assert problems(broken) == ["parties.Party.birth_date: not classified"]


def test_a_classification_of_a_field_that_does_not_exist_fails() -> None:
    current = discovery.data_map()
    extra = ModelMap(
        "parties.Party",
        {**current.models["parties.Party"].fields, "shoe_size": None},
    )
    broken = DataMap({**current.models, "parties.Party": extra}, current.owners, current.purges)
    assert problems(broken) == ["parties.Party.shoe_size: classified but no such field"]


def test_a_model_without_an_entry_fails() -> None:
    current = discovery.data_map()
    fewer = {k: v for k, v in current.models.items() if k != "billing.Notice"}
    assert problems(DataMap(fewer, current.owners, current.purges)) == [
        "billing.Notice: not in any app's personal_data.py"
    ]


def test_each_app_maps_its_own_models() -> None:
    """An app's personal_data.py maps its own models (Django's and libraries' are mapped by the
    app that uses them)."""
    data = discovery.data_map()
    for label, owner in data.owners.items():
        app_label = label.split(".")[0]
        if apps.get_app_config(app_label).name.startswith("trygg."):
            assert owner == app_label, label


def test_two_apps_mapping_one_model_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = model_map("parties.Party", Processing.CUSTOMER, {})
    modules = [("a", SimpleNamespace(MAP=(entry,))), ("b", SimpleNamespace(MAP=(entry,)))]
    monkeypatch.setattr(discovery, "personal_data_modules", lambda: modules)
    discovery.data_map.cache_clear()
    try:
        with pytest.raises(ValueError, match="mapped by both a and b"):
            discovery.data_map()
    finally:
        monkeypatch.undo()
        discovery.data_map.cache_clear()


def test_every_processing_named_is_in_the_register() -> None:
    named = {
        personal.processing
        for entry in discovery.data_map().models.values()
        for personal in entry.personal().values()
    }
    assert named <= set(register.BY_CODE)


def test_the_health_declaration_is_a_special_category() -> None:
    answers = discovery.data_map().models["insurance.HealthAnswer"]
    assert answers.fields["detail"] is not None
    assert answers.fields["detail"].category is Category.HEALTH
    assert answers.fields["detail"].category.special


@pytest.mark.parametrize("purge", discovery.data_map().purges, ids=lambda p: f"{p.rule}:{p.model}")
def test_each_retention_target_names_a_rule_a_table_and_its_fields(purge: Purge | Expire) -> None:
    assert purge.rule in rules.RULES
    model: Any = apps.get_model(purge.model)
    assert discovery.data_map().models[purge.model].personal()
    if isinstance(purge, Expire):
        return
    fields = _fields(model)
    assert purge.date_field in fields
    for path in purge.subjects:
        assert path.split("__")[0] in fields
    for name in purge.clear:
        assert name in fields
    # A condition may also follow a relation from another table (a notice naming its e-mail).
    related = {f.name for f in model._meta.get_fields() if f.auto_created and f.is_relation}
    for lookup in purge.when:
        assert lookup.split("__")[0] in fields | related
    # The target's table is in the map, and what it purges is personal data.
    assert discovery.data_map().models[purge.model].personal()
