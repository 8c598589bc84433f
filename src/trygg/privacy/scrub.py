"""Anonymising a copy of a database for testing (``trygg privacy scrub``; decision 0041).

Every field the personal-data map calls personal is replaced, table by table, in set-based
statements:

- people's identity numbers are drawn anew (valid-checksum Swedish and Norwegian numbers, the
  birth date to match), their names from the fictitious lists of ``testdata``, customer numbers
  renumbered (Luhn-valid);
- other text (contact details, free text, references, staff names) becomes a code of the row;
- dates and times move back by 37 to 259 days, the same for every field of a row (a row's
  own order - start before end - holds);
- IP addresses become 192.0.2.1 (TEST-NET-1, RFC 5737), JSON documents empty, binary data
  (PIN letters, token seeds) empty;
- the audit log, its anchors and its chain head are emptied (a test copy needs no production
  access log; the chain starts again);
- amounts, counts, levels, yes/no answers and values from a short list (states, kinds, buy or
  sell) are kept: they identify nobody once every identifier, name, contact detail, date, text
  and address around them is replaced, and the ledger (balances are the sum of postings), the
  tariffs' levels, the premium schedules and the state tables' constraints must still hold;
- foreign keys are kept: they point at rows that are scrubbed in their own turn.

The database is then marked not production. Refused in production (``TRYGG_ENV=production``).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Cast, Concat, Length, Right, Substr

from trygg.kernel import idnumbers
from trygg.kernel.models import AuditAnchor, AuditChainHead, AuditEvent
from trygg.parties.models import Party
from trygg.parties.rules import customer_number_from_serial
from trygg.privacy import environment, testdata
from trygg.privacy.discovery import data_map

KEPT_TYPES = (
    models.DecimalField,
    models.IntegerField,
    models.BooleanField,
    models.FloatField,
)
AUDIT = ("kernel.AuditEvent", "kernel.AuditAnchor", "kernel.AuditChainHead")
SHIFT_DAYS = 37
BUCKETS = 7
TEST_NET = "192.0.2.1"
CUSTOMER_SERIAL_BASE = 500_000_000


class ScrubRefused(Exception):
    pass


@dataclass
class Scrubbed:
    tables: dict[str, int] = field(default_factory=dict)  # rows touched per model
    kept: dict[str, list[str]] = field(default_factory=dict)  # model: fields kept, by type


def scrubbable(f: models.Field[Any, Any]) -> bool:
    """A personal field scrub replaces (the others are kept, see the module)."""
    return not f.is_relation and not isinstance(f, KEPT_TYPES) and not f.choices


def _personal_fields(model: type[models.Model], names: Iterable[str]) -> list[Any]:
    found = []
    for name in names:
        try:
            f = model._meta.get_field(name)
        except FieldDoesNotExist:  # the map test reports names a model lacks
            continue
        if getattr(f, "concrete", False) and not f.many_to_many:
            found.append(f)
    return found


def _text_value(f: Any) -> Any:
    """A code of the row in place of a text: 'x' and the row's key, within the field's length."""
    code = Concat(Value("x"), Cast("pk", models.CharField()), output_field=models.CharField())
    length = getattr(f, "max_length", None)
    return Substr(code, 1, length) if length else code


def _digits_value(f: Any) -> Any:
    """Digits derived from the row's key, as many as the value had, for a checked format."""
    digits = Cast(F("pk") * 7919 + 10**15, models.CharField())
    return Right(digits, Length(F(f.attname)))


@contextmanager
def _triggers_lifted(model: type[models.Model]) -> Iterator[None]:
    """The table's own triggers (append-only postings, for one) lifted for the scrub, inside its
    transaction, and put back: scrubbing a copy is its owner's act, as the retention run's."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            quoted = connection.ops.quote_name(table)
            # A table with checks still queued (the deferred foreign keys of rows already
            # scrubbed) cannot be altered: the checks are made now, then deferred again.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {quoted} DISABLE TRIGGER USER")
            try:
                yield
            finally:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"ALTER TABLE {quoted} ENABLE TRIGGER USER")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            return
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [table],
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
        try:
            yield
        finally:
            for _name, sql in triggers:
                cursor.execute(sql)


def _scrub_model(model: type[models.Model], fields: list[Any]) -> int:
    with _triggers_lifted(model):
        return _scrub_fields(model, fields)


def _scrub_fields(model: type[models.Model], fields: list[Any]) -> int:
    manager = model._default_manager
    # A stored file's name is text too (the copy keeps no path to a real document).
    texts = [
        f for f in fields if isinstance(f, models.CharField | models.TextField | models.FileField)
    ]
    ips = [f for f in fields if isinstance(f, models.GenericIPAddressField)]
    jsons = [f for f in fields if isinstance(f, models.JSONField)]
    binaries = [f for f in fields if isinstance(f, models.BinaryField)]
    dates = [f for f in fields if isinstance(f, models.DateField)]  # DateTimeField too
    touched = 0
    for text in texts:
        rows = manager.exclude(**{text.attname: ""})
        try:
            with transaction.atomic():
                touched = max(touched, rows.update(**{text.attname: _text_value(text)}))
        except IntegrityError:  # a format the table checks (four digits): digits, as long
            with transaction.atomic():
                touched = max(touched, rows.update(**{text.attname: _digits_value(text)}))
    for ip in ips:
        touched = max(
            touched,
            manager.exclude(**{f"{ip.attname}__isnull": True}).update(**{ip.attname: TEST_NET}),
        )
    for document in jsons:
        touched = max(
            touched,
            manager.exclude(**{f"{document.attname}__isnull": True}).update(
                **{document.attname: {} if not document.null else None}
            ),
        )
    for binary in binaries:
        touched = max(touched, manager.update(**{binary.attname: None if binary.null else b""}))
    for uuid_field in [f for f in fields if isinstance(f, models.UUIDField)]:
        # A response id or the like: a new random one per row (no SQL function for it on
        # every database), written in batches.
        batch: list[models.Model] = []
        for row in manager.only("pk").iterator(chunk_size=2000):
            setattr(row, uuid_field.attname, uuid.uuid4())
            batch.append(row)
            if len(batch) == 1000:
                manager.bulk_update(batch, [uuid_field.attname])
                touched = max(touched, len(batch))
                batch = []
        if batch:
            manager.bulk_update(batch, [uuid_field.attname])
            touched = max(touched, len(batch))
    if dates:
        for bucket in range(BUCKETS):
            shift = dt.timedelta(days=SHIFT_DAYS * (bucket + 1))
            rows = manager.annotate(_bucket=F("pk") % BUCKETS).filter(_bucket=bucket)
            changes = {f.attname: F(f.attname) - shift for f in dates}
            touched = max(touched, rows.update(**changes))
    return touched


def _scrub_parties(seed: int) -> int:
    """People's identity numbers, names, birth dates and customer numbers anew; first all to a
    code of the row, so that no new number meets an old one in the unique index."""
    rng = random.Random(seed)
    parties = Party.objects.all()
    code = Substr(Concat(Value("x"), Cast("pk", models.CharField())), 1, 12)
    customer = Substr(Concat(Value("y"), Cast("pk", models.CharField())), 1, 12)
    sole = Q(id_kind="sole_trader")  # a sole trader's firm is registered under its owner
    parties.filter(sole).update(id_number=code, registered_owner=code, customer_number=customer)
    parties.exclude(sole).update(id_number=code, customer_number=customer)
    numbers = testdata._numbers(rng.randrange(testdata.DAYS * 50), 0.0, set())
    changed = 0
    batch: list[Party] = []
    fields = [
        "id_number",
        "customer_number",
        "given_name",
        "family_name",
        "birth_date",
        "legal_name",
        "registered_owner",
        "id_kind",
        "preferred_language",
    ]
    languages = {"sv": "nb", "nb": "en", "en": "sv"}
    only = ("pk", "kind", "country", "legal_name", "preferred_language", "id_kind")
    for party in parties.order_by("pk").only(*only).iterator(chunk_size=5000):
        party.preferred_language = languages.get(party.preferred_language, "sv")
        party.customer_number = customer_number_from_serial(CUSTOMER_SERIAL_BASE + party.pk)
        if party.kind == "person":
            _country, number, born = next(numbers)
            if party.country == "NO":
                number = idnumbers.generate_norwegian_personal(born, party.pk % 1000)
                party.id_kind = "no_personal"
            else:
                party.id_kind = "se_personal"
            party.id_number, party.birth_date = number, born
            party.given_name = rng.choice(testdata.GIVEN)
            party.family_name = rng.choice(testdata.FAMILY)
            party.legal_name = ""
            party.registered_owner = ""
        else:
            party.id_number = f"{CUSTOMER_SERIAL_BASE + party.pk}"[:12]
            party.registered_owner = party.id_number if party.id_kind == "sole_trader" else ""
            party.legal_name = f"Testbolaget {party.pk} AB"
            party.birth_date = None
        batch.append(party)
        if len(batch) >= 5000:
            changed += Party.objects.bulk_update(batch, fields)
            batch = []
    if batch:
        changed += Party.objects.bulk_update(batch, fields)
    return changed


def _empty_audit_log() -> int:
    from trygg.kernel.dbtriggers import install_append_only, remove_append_only

    removed = AuditEvent.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {AuditEvent._meta.db_table}")
    else:
        remove_append_only(connection)
        try:
            AuditEvent.objects.all()._raw_delete(connection.alias)
        finally:
            install_append_only(connection)
    AuditAnchor.objects.all().delete()
    AuditChainHead.objects.all().delete()
    return removed


def scrub(*, seed: int = 1) -> Scrubbed:
    """Anonymise this database (a copy for testing); see the module."""
    if settings.PRODUCTION:
        raise ScrubRefused(
            "scrub: refused in production (TRYGG_ENV=production); scrub a restored copy in a "
            "test environment."
        )
    report = Scrubbed()
    dm = data_map()
    with transaction.atomic():
        report.tables["kernel.AuditEvent"] = _empty_audit_log()
        report.tables["parties.Party"] = _scrub_parties(seed)
        for label, entry in sorted(dm.models.items()):
            if label in AUDIT:
                continue
            try:
                model = apps.get_model(label)
            except LookupError:
                continue
            if not model._meta.managed or model._meta.proxy:
                continue
            fields = _personal_fields(model, entry.personal())
            if label == "parties.Party":
                done = {
                    "id_number",
                    "customer_number",
                    "given_name",
                    "family_name",
                    "birth_date",
                    "legal_name",
                    "registered_owner",
                    "preferred_language",
                }
                fields = [f for f in fields if f.name not in done]
            kept = [f.name for f in fields if not scrubbable(f)]
            if kept:
                report.kept[label] = kept
            todo = [f for f in fields if scrubbable(f)]
            if todo and model._default_manager.exists():
                report.tables[label] = report.tables.get(label, 0) + _scrub_model(model, todo)
        environment.mark_database(production=False, note="scrubbed copy")
    return report
