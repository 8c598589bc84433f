"""Finding the personal-data map: every installed trygg app's ``personal_data`` module, with its
``MAP`` (a ``ModelMap`` per model), its ``RETENTION`` (how retention rules reach its tables) and
its ``KEEP`` (what an erasure request leaves, and why).
Privacy imports nothing else of the apps; models are looked up by label in Django's registry."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType

from django.apps import apps

from trygg.kernel.datamap import Expire, Keep, ModelMap, Purge


@dataclass(frozen=True)
class DataMap:
    models: dict[str, ModelMap]  # by "app_label.ModelName"
    owners: dict[str, str]  # model label: the app whose personal_data.py maps it
    purges: tuple[Purge | Expire, ...]
    keeps: tuple[Keep, ...] = ()


def personal_data_modules() -> list[tuple[str, ModuleType]]:
    """(app label, module) of every installed trygg app with a ``personal_data`` module."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("trygg."):
            continue
        name = f"{config.name}.personal_data"
        try:
            module = import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:
                continue
            raise
        found.append((config.label, module))
    return found


@functools.cache
def data_map() -> DataMap:
    models: dict[str, ModelMap] = {}
    owners: dict[str, str] = {}
    purges: list[Purge | Expire] = []
    keeps: list[Keep] = []
    for label, module in personal_data_modules():
        for entry in getattr(module, "MAP", ()):
            if entry.model in models:
                raise ValueError(
                    f"{entry.model} is mapped by both {owners[entry.model]} and {label}"
                )
            models[entry.model] = entry
            owners[entry.model] = label
        purges.extend(getattr(module, "RETENTION", ()))
        keeps.extend(getattr(module, "KEEP", ()))
    return DataMap(models=models, owners=owners, purges=tuple(purges), keeps=tuple(keeps))
