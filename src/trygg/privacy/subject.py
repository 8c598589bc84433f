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

import contextlib
import datetime as dt
import functools
import gc
import json
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections, models
from django.db.models import Exists, Q
from django.db.models.functions import Cast

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
    return _along(subject_paths(label), party_id)


def _along(paths: Iterable[str], party_id: int) -> Q:
    condition = Q()
    for path in paths:
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


# Django's own fields whose values a query returns as JSON values already (text, whole
# numbers, booleans): their columns are taken as they come.
_AS_IS = frozenset(
    {
        models.CharField,
        models.TextField,
        models.EmailField,
        models.SlugField,
        models.URLField,
        models.GenericIPAddressField,
        models.IntegerField,
        models.BigIntegerField,
        models.SmallIntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.PositiveBigIntegerField,
        models.AutoField,
        models.BigAutoField,
        models.SmallAutoField,
        models.BooleanField,
    }
)

Column = Callable[[Sequence[Any]], list[Any]]


def _reader(f: Any, naive: dt.tzinfo | None) -> tuple[Any, Column | None]:
    """What to select for a field and how its column's values become what ``_value`` makes of
    them one by one, for the whole column at once (``None``: as they come). Times and JSON are
    read as their text: the database's driver and Django would build each value in Python
    (a parsed time, a decoded document) that the export then turns into text again."""
    target = f
    while target.many_to_one or target.one_to_one:
        target = target.target_field  # a foreign key's values are its target's
    kind = type(target)
    name = getattr(f, "attname", f.name)
    if kind in _AS_IS:
        return name, None
    if kind is models.DateTimeField and target is f:
        return Cast(name, models.TextField()), functools.partial(_instants, naive=naive)
    if kind is models.DateField and target is f:
        return name, _days
    if kind is models.JSONField and target is f and f.decoder is None:
        return Cast(name, models.TextField()), _documents
    return name, _values


def _values(column: Sequence[Any]) -> list[Any]:
    return list(map(_value, column))


def _days(column: Sequence[dt.date | None]) -> list[str | None]:
    return [None if v is None else v.isoformat() for v in column]


def _instants(column: Sequence[str | None], naive: dt.tzinfo | None) -> list[str | None]:
    """Times as the database writes them (with their offset; SQLite's without, in the
    connection's time zone) as ISO text in the business time zone."""
    found: list[str | None] = []
    for text in column:
        if text is None:
            found.append(None)
            continue
        moment = dt.datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=naive)
        found.append(moment.astimezone(_ZONE).isoformat())
    return found


def _documents(column: Sequence[str | None]) -> list[Any]:
    """JSON documents as the database writes them, decoded in one pass (each a JSON value,
    joined as the items of one array); one by one, as Django does, should the pass fail: a
    text that is not JSON is kept as text."""
    present = [text for text in column if text is not None]
    decoded: list[Any] = []
    if present:
        try:
            decoded = json.loads(f"[{','.join(present)}]")
        except ValueError:
            decoded = []
        if len(decoded) != len(present):
            decoded = [_document(text) for text in present]
    values = iter(decoded)
    return [None if text is None else next(values) for text in column]


def _document(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


@dataclass
class ExportSection:
    model: str
    name: str
    processings: list[str]
    fields: dict[str, str]  # field name: its label
    rows: list[dict[str, Any]] = field(default_factory=list)


# A key no party has (keys count from 1), compiled into the probe in place of the party's own;
# small, so that no field's range check compiles it away.
_STAND_IN = -7007


@dataclass(frozen=True)
class _Probe:
    """One statement that tells by which of its paths each mapped model with personal fields
    reaches rows about a party: an ``EXISTS`` per path (an indexed probe each) instead of a
    query per path. Compiled once per database with a stand-in key, run with the party's."""

    alias: str
    paths: tuple[tuple[str, str], ...]  # (model label, path), in the order of its columns
    sql: str
    params: tuple[Any, ...]

    def run(self, party_id: int) -> dict[str, list[str]]:
        params = [
            party_id
            if type(p) is int and p == _STAND_IN
            else str(party_id)
            if p == str(_STAND_IN)
            else p
            for p in self.params
        ]
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        # No row: the party's own row is gone; every path is read then (rows that still name
        # the party, by subject_id or otherwise, are found by the reads themselves).
        hits = row if row is not None else [True] * len(self.paths)
        reached: dict[str, list[str]] = defaultdict(list)
        for (label, path), hit in zip(self.paths, hits, strict=True):
            if hit:
                reached[label].append(path)
        return reached


@functools.cache
def _probe(alias: str) -> _Probe:
    party = apps.get_model(PARTY)
    paths: list[tuple[str, str]] = []
    checks: dict[str, Exists] = {}
    for model in _mapped_models():
        label = _label(model)
        if not data_map().models[label].personal():
            continue
        for path in subject_paths(label):
            paths.append((label, path))
            rows = model._default_manager.filter(_along([path], _STAND_IN))
            checks[f"p{len(checks)}"] = Exists(rows)
    query = party._default_manager.using(alias).filter(pk=_STAND_IN).order_by()
    sql, params = query.annotate(**checks).values_list(*checks).query.sql_with_params()
    stand_ins = sum(1 for p in params if p == _STAND_IN or p == str(_STAND_IN))
    if stand_ins != len(paths) + 1:  # each path's probe and the party's own row name it once
        raise RuntimeError(f"the probe names the party {stand_ins} times, not {len(paths) + 1}")
    return _Probe(alias=alias, paths=tuple(paths), sql=sql, params=tuple(params))


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while the copy is built. Its tens of thousands of
    rows (each a dict holding a dict, so watched by the collector, though they form no cycles)
    would otherwise trigger a full collection of every object of the process (90 ms of the
    export's 300 ms in the bench); reference counting frees them as before."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def person_export(party_id: int, language: str) -> dict[str, Any]:
    """The complete copy of the data about a person, as JSON-ready values, in ``language``."""
    from django.utils import translation

    dm = data_map()
    sections: list[dict[str, Any]] = []
    processings: set[str] = set()
    party = apps.get_model(PARTY)
    reached = _probe(party._default_manager.db).run(party_id)
    with translation.override(language), _collector_paused():
        for model in _mapped_models():
            label = _label(model)
            if label not in reached:
                continue
            personal = dm.models[label].personal()
            names = [n for n in personal if _has_field(model, n)]
            concrete = {n: model._meta.get_field(n) for n in names}
            secret = [n for n in names if personal[n].category is Category.CREDENTIAL]
            shown = [n for n in names if n not in secret]
            manager = model._default_manager
            naive = connections[manager.db].timezone
            readers = [
                _reader(model._meta.pk, naive),
                *(_reader(concrete[n], naive) for n in shown),
            ]
            # Plain values, not model instances, each column converted as a whole: a rich
            # history is tens of thousands of rows. Read once, by the paths that reach them.
            rows = manager.filter(_along(reached[label], party_id)).order_by("pk")
            found = list(rows.values_list(*(selected for selected, _ in readers)))
            if not found:
                continue
            section = ExportSection(
                model=label,
                name=str(model._meta.verbose_name_plural),
                processings=sorted({str(personal[n].processing) for n in names}),
                fields={n: str(getattr(concrete[n], "verbose_name", n)) for n in names},
            )
            processings.update(section.processings)
            by_column = [
                column if convert is None else convert(column)
                for (_, convert), column in zip(readers, zip(*found, strict=True), strict=True)
            ]
            keys = by_column[0]
            values = zip(*by_column[1:], strict=True) if shown else [()] * len(keys)
            if secret:  # named first, their values withheld
                withheld = dict.fromkeys(secret, WITHHELD)
                section.rows = [
                    {"id": key, "fields": {**withheld, **dict(zip(shown, row, strict=True))}}
                    for key, row in zip(keys, values, strict=True)
                ]
            else:
                section.rows = [
                    {"id": key, "fields": dict(zip(shown, row, strict=True))}
                    for key, row in zip(keys, values, strict=True)
                ]
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
