"""A data subject's data across every app: found through the personal-data map, not through the
apps' code.

Rows about a person are found by the map's models alone: a row is about the person when a chain
of foreign keys leads from it to the person's ``parties.Party`` row (a posting through its
account, a claim through its policy), or when its ``subject_id`` column names the person (the
audit log, legal holds). A new app with a ``personal_data.py`` is therefore found without a
change here.

- ``person_export``: every personal field of every such row, with the GDPR Art. 15 information
  of the processings involved (purposes, legal basis, recipients, retention, source) from the
  register. Credentials (PIN hashes, token seeds) are named, their values withheld: a copy must
  not weaken the person's own security (Art. 15(4)).
- ``erasure_plan``: what an erasure request (Art. 17) removes and what it must keep, each kept
  row with its reason: a legal hold or a contract in force stops the erasure; rows a retention
  rule still keeps (bookkeeping, the access log, an archived application), the archive of
  policies and claims (``KEEP`` in the apps' maps), what those rows depend on, and the record of
  the request itself stay, each explained to the person.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q

from trygg.kernel import clock
from trygg.kernel.datamap import Category, Expire, Processing, Purge
from trygg.privacy import register, rules
from trygg.privacy.discovery import data_map

PARTY = "parties.Party"
ACCESS_LOG = frozenset({"kernel.AuditEvent"})
SUBJECT_COLUMN = "subject_id"
MAX_DEPTH = 3
WITHHELD = "[withheld: security credential]"

# Reasons a row is kept by an erasure beyond the retention rules' codes.
CONTRACT = "contract"
REFERENCED = "referenced"


def _label(model: type[models.Model]) -> str:
    return model._meta.label


@functools.cache
def subject_paths(label: str) -> tuple[str, ...]:
    """The lookups from ``label``'s rows to the id of the party they are about: ``"pk"`` for the
    party itself, chains of foreign keys (at most three) otherwise, ``subject_id`` where the
    model names its subject in that column."""
    if label == PARTY:
        return ("pk",)
    model = apps.get_model(label)
    party = apps.get_model(PARTY)
    found: list[str] = []
    names = {f.name for f in model._meta.concrete_fields}
    if SUBJECT_COLUMN in names and not model._meta.get_field(SUBJECT_COLUMN).is_relation:
        found.append(SUBJECT_COLUMN)

    def walk(current: type[models.Model], prefix: str, depth: int, seen: frozenset[str]) -> None:
        for f in current._meta.concrete_fields:
            if not f.is_relation or f.related_model is None:
                continue
            target = f.related_model
            path = f"{prefix}{f.name}"
            if target is party:
                found.append(f"{path}__pk")
                continue
            target_label = _label(target)
            if depth < MAX_DEPTH and target_label not in seen:
                walk(target, f"{path}__", depth + 1, seen | {target_label})

    walk(model, "", 1, frozenset({label}))
    return tuple(found)


def _mapped_models() -> list[type[models.Model]]:
    found = []
    for label in sorted(data_map().models):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if model._meta.managed and not model._meta.proxy:
            found.append(model)
    return found


def about_filter(label: str, party_id: int) -> Q:
    """The rows of ``label`` about the party, as one condition (its paths joined by OR)."""
    condition = Q()
    for path in subject_paths(label):
        condition |= Q(**{path: str(party_id) if path == SUBJECT_COLUMN else party_id})
    return condition


def rows_about(party_id: int) -> dict[str, set[Any]]:
    """The primary keys of every mapped row about the party, by model label."""
    found: dict[str, set[Any]] = {}
    for model in _mapped_models():
        label = _label(model)
        keys: set[Any] = set()
        for path in subject_paths(label):
            value: object = str(party_id) if path == SUBJECT_COLUMN else party_id
            keys.update(model._default_manager.filter(**{path: value}).values_list("pk", flat=True))
        if keys:
            found[label] = keys
    return found


# -- the export (Art. 15) ----------------------------------------------------------------------


_PLAIN = (str, int, bool, float, type(None), dict, list)
_ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _value(value: Any) -> Any:
    """A field's value as JSON: dates and times as ISO text in the business time zone, money
    and other decimals as text (exact), bytes by their length."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, dt.datetime):
        return value.astimezone(_ZONE).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return f"[{len(bytes(value))} bytes]"
    return str(value)


@dataclass
class ExportSection:
    model: str
    name: str
    processings: list[str]
    fields: dict[str, str]  # field name: its label
    rows: list[dict[str, Any]] = field(default_factory=list)


def person_export(party_id: int, language: str) -> dict[str, Any]:
    """The complete copy of the data about a person, as JSON-ready values, in ``language``."""
    from django.utils import translation

    dm = data_map()
    sections: list[dict[str, Any]] = []
    processings: set[str] = set()
    with translation.override(language):
        for label in rows_about(party_id):
            model = apps.get_model(label)
            personal = dm.models[label].personal()
            if not personal:
                continue
            names = [n for n in personal if _has_field(model, n)]
            concrete = {n: model._meta.get_field(n) for n in names}
            section = ExportSection(
                model=label,
                name=str(model._meta.verbose_name_plural),
                processings=sorted({str(personal[n].processing) for n in names}),
                fields={n: str(getattr(concrete[n], "verbose_name", n)) for n in names},
            )
            processings.update(section.processings)
            # Plain values, not model instances: a rich history is tens of thousands of rows.
            secret = {n for n in names if personal[n].category is Category.CREDENTIAL}
            shown = [n for n in names if n not in secret]
            columns = [getattr(concrete[n], "attname", n) for n in shown]
            # By the same condition that found them: no list of thousands of keys to send.
            rows = model._default_manager.filter(about_filter(label, party_id)).order_by("pk")
            for key, *found in rows.values_list("pk", *columns):
                values: dict[str, Any] = dict.fromkeys(secret, WITHHELD)
                values.update(zip(shown, map(_value, found), strict=True))
                section.rows.append({"id": _value(key), "fields": values})
            sections.append(section.__dict__)
        info = [
            _art15(register.BY_CODE[Processing(code)].as_dict(on=clock.today()))
            for code in sorted(processings)
            if Processing(code) in register.BY_CODE
        ]
    return {
        "format": "trygg.personal-data-export/1",
        "party_id": party_id,
        "language": language,
        "generated_on": clock.today().isoformat(),
        "data": sorted(sections, key=lambda s: s["model"]),
        "processing": info,
    }


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


def _art15(record: dict[str, Any]) -> dict[str, Any]:
    """The Art. 15(1) information of one processing, from its register record."""
    return {
        "code": record["code"],
        "name": record["name"],
        "purpose": record["purpose"],
        "legal_basis": record["legal_basis"],
        "categories": record["categories"],
        "recipients": record["recipients"],
        "processors": record["processors"],
        "transfers": record["transfers"],
        "retention": record["retention"],
        "source": record["source"],
        "controllers": record["controllers"],
    }


# -- erasure (Art. 17) -------------------------------------------------------------------------


@dataclass
class ErasurePlan:
    party_id: int
    holds: list[int]  # active legal holds on the person or one of their records
    contracts: dict[str, set[Any]]  # rows of contracts in force, by model
    kept: dict[str, dict[str, set[Any]]]  # reason: model: keys
    erase: dict[str, set[Any]]  # model: keys

    @property
    def refused(self) -> bool:
        return bool(self.holds or self.contracts)

    def reason_of(self, label: str, key: Any) -> str | None:
        for reason, per_model in self.kept.items():
            if key in per_model.get(label, ()):
                return reason
        return None


def _matching(label: str, keys: Iterable[Any], when: dict[str, object]) -> set[Any]:
    model = apps.get_model(label)
    return set(
        model._default_manager.filter(pk__in=list(keys), **when).values_list("pk", flat=True)
    )


def _not_passed(purge: Purge, keys: Iterable[Any], on: dt.date) -> set[Any]:
    """The rows of ``keys`` a retention rule still keeps on ``on`` (its period not passed)."""
    model = apps.get_model(purge.model)
    cut = rules.cutoff(rules.rule(purge.rule), on)
    f = model._meta.get_field(purge.date_field)
    if isinstance(f, models.DateTimeField):
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        bound: object = dt.datetime.combine(cut + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        condition = Q(**{f"{purge.date_field}__gte": bound})
    else:
        condition = Q(**{f"{purge.date_field}__gt": cut})
    return set(
        model._default_manager.filter(condition, pk__in=list(keys), **purge.when).values_list(
            "pk", flat=True
        )
    )


def _dependents(label: str, keys: set[Any], out: dict[str, set[Any]], depth: int = 0) -> None:
    """Rows that cascade from ``keys`` (a kept record's history, its answers): kept with it."""
    if not keys or depth > MAX_DEPTH:
        return
    model = apps.get_model(label)
    for relation in model._meta.related_objects:
        if relation.many_to_many or relation.on_delete is not models.CASCADE:
            continue
        child = relation.related_model
        child_label = _label(child)
        if child_label not in data_map().models:
            continue
        found = set(
            child._default_manager.filter(**{f"{relation.field.name}__in": list(keys)}).values_list(
                "pk", flat=True
            )
        ) - out.get(child_label, set())
        if found:
            out.setdefault(child_label, set()).update(found)
            _dependents(child_label, found, out, depth + 1)


def _targets(label: str, keys: set[Any], about: dict[str, set[Any]]) -> dict[str, set[Any]]:
    """Rows about the person that ``keys`` refer to by foreign key (a kept charge's mandate,
    the person's own customer row), followed on."""
    found: dict[str, set[Any]] = defaultdict(set)
    todo = [(label, keys)]
    while todo:
        current, current_keys = todo.pop()
        model = apps.get_model(current)
        for f in model._meta.concrete_fields:
            if not f.is_relation or f.related_model is None:
                continue
            target = _label(f.related_model)
            if target not in about:
                continue
            refs = set(
                model._default_manager.filter(pk__in=list(current_keys))
                .exclude(**{f"{f.attname}__isnull": True})
                .values_list(f.attname, flat=True)
            )
            new = (refs & about[target]) - found[target]
            if new:
                found[target] |= new
                todo.append((target, new))
    return found


def erasure_plan(party_id: int, on: dt.date) -> ErasurePlan:
    """What erasing the person's data on business date ``on`` removes and keeps, and why."""
    from trygg.privacy.models import HoldState, LegalHold

    dm = data_map()
    about = rows_about(party_id)
    kept: dict[str, dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))

    holds = LegalHold.objects.filter(state=HoldState.ACTIVE)
    record_holds = Q()
    for label, keys in about.items():
        if label in ACCESS_LOG:
            continue  # legal holds do not reach the access log (decision 0032)
        record_holds |= Q(model=label, object_id__in=[str(k) for k in keys])
    held = list(
        holds.filter(Q(subject_id=str(party_id)) | record_holds).values_list("pk", flat=True)
    )

    contracts: dict[str, set[Any]] = {}
    for keep in dm.keeps:
        if keep.model not in about:
            continue
        rows = _matching(keep.model, about[keep.model], dict(keep.when))
        if not rows:
            continue
        if keep.reason == CONTRACT:
            contracts.setdefault(keep.model, set()).update(rows)
        else:
            kept[keep.reason][keep.model] |= rows
    for purge in dm.purges:
        if purge.model not in about:
            continue
        if isinstance(purge, Expire):  # the audit log: kept until its month expires
            kept[purge.rule][purge.model] |= about[purge.model]
        else:
            kept[purge.rule][purge.model] |= _not_passed(purge, about[purge.model], on)

    # A kept record keeps its dependent rows (history, answers) and what it refers to.
    for reason in list(kept):
        for label, keys in list(kept[reason].items()):
            deps: dict[str, set[Any]] = {}
            _dependents(label, keys, deps)
            for dep_label, dep_keys in deps.items():
                kept[reason][dep_label] |= dep_keys
    kept_any = {(label, k) for per in kept.values() for label, ks in per.items() for k in ks}
    for reason in list(kept):
        for label, keys in list(kept[reason].items()):
            for target, target_keys in _targets(label, keys, about).items():
                fresh = {k for k in target_keys if (target, k) not in kept_any}
                if fresh:
                    kept[REFERENCED][target] |= fresh
                    kept_any |= {(target, k) for k in fresh}

    erase = {
        label: keys - {k for (lb, k) in kept_any if lb == label} for label, keys in about.items()
    }
    return ErasurePlan(
        party_id=party_id,
        holds=held,
        contracts=contracts,
        kept={r: {m: set(k) for m, k in per.items() if k} for r, per in kept.items()},
        erase={label: keys for label, keys in erase.items() if keys},
    )
