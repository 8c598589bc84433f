"""The register for the supervisory authority: CSV (one row per processing, lists joined), JSON
(the records as they are) and PDF, each in the language asked for."""

from __future__ import annotations

import csv
import functools
import io
import json
from itertools import chain
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from trygg.kernel import clock
from trygg.privacy.register import REGISTER

FORMATS = ("csv", "json", "pdf")

COLUMNS = (
    "code",
    "name",
    "purpose",
    "legal_basis",
    "data",
    "categories",
    "special_categories",
    "subjects",
    "retention",
    "retention_rules",
    "controllers",
    "joint_controllers",
    "processors",
    "recipients",
    "transfers",
    "source",
    "direct_marketing",
)


def records(language: str) -> list[dict[str, Any]]:
    with translation.override(language):
        return [activity.as_dict(on=clock.today()) for activity in REGISTER]


def _controller(c: dict[str, str]) -> str:
    return f"{c['name']} ({c['scope']})" if c["scope"] else c["name"]


def _flat(record: dict[str, Any]) -> dict[str, str]:
    """A record's values as text: lists joined with "; "."""
    return {
        **{k: str(v) for k, v in record.items() if not isinstance(v, list | bool)},
        "categories": "; ".join(record["categories"]),
        "special_categories": "yes" if record["special_categories"] else "no",
        "retention_rules": "; ".join(
            f"{r['code']}: {r['period']} from {r['counted_from']} ({r['action']})"
            for r in record["retention_rules"]
        ),
        "controllers": "; ".join(_controller(c) for c in record["controllers"]),
        "joint_controllers": "yes" if record["joint_controllers"] else "no",
        "processors": "; ".join(record["processors"]),
        "recipients": "; ".join(record["recipients"]),
        "transfers": "; ".join(
            f"{t['country']}: {t['safeguard']}. {t['measures']}" for t in record["transfers"]
        ),
        "direct_marketing": "yes" if record["direct_marketing"] else "no",
    }


def register_csv(language: str = "en") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in records(language):
        writer.writerow(_flat(record))
    return out.getvalue()


def register_json(language: str = "en") -> str:
    document = {
        "register": "GDPR Art. 30",
        "language": language,
        "date": clock.today().isoformat(),
        "processings": records(language),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _latin1(text: str) -> str:
    """What the PDF's built-in fonts draw: Latin-1 (Swedish and Norwegian letters)."""
    text = text.replace("\u2013", "-").replace("\u2019", "'")
    return text.encode("latin-1", "replace").decode("latin-1")


def register_pdf(language: str = "en") -> bytes:
    with translation.override(language):
        labels = {
            "purpose": _("Purpose"),
            "legal_basis": _("Legal basis"),
            "data": _("Personal data"),
            "subjects": _("Data subjects"),
            "retention": _("Retention"),
            "controllers": _("Controllers"),
            "joint_controllers": _("Joint controllers"),
            "processors": _("Processors"),
            "recipients": _("Recipients"),
            "transfers": _("Transfers to third countries"),
            "source": _("Source"),
        }
        title = _("Register of processing activities")
        heading = f"{title} - {settings.TRYGG_COMPANY_NAME} - {clock.today().isoformat()}"
        pdf = FPDF(format="A4")
        pdf.set_title(_latin1(title))
        pdf.set_auto_page_break(True, margin=15)
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 14)
        pdf.multi_cell(0, 8, _latin1(heading), new_x="LMARGIN", new_y="NEXT")
        for record in records(language):
            flat = _flat(record)
            flat["joint_controllers"] = _("yes") if record["joint_controllers"] else _("no")
            pdf.ln(3)
            pdf.set_font("Helvetica", "B", 12)
            pdf.multi_cell(0, 7, _latin1(record["name"]), new_x="LMARGIN", new_y="NEXT")
            for key, label in labels.items():
                value = flat.get(key, "")
                if not value:
                    continue
                pdf.set_font("Helvetica", "B", 9)
                pdf.cell(45, 5, _latin1(str(label)))
                pdf.set_font("Helvetica", size=9)
                pdf.multi_cell(0, 5, _latin1(value), new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())


# -- a person's copy of their data (GDPR Art. 15) ----------------------------------------------


# The readable copy shows each kind of data with its first records; a long log (thousands of
# log-ins or read events) would make a PDF nobody reads, and the JSON copy holds every record.
PDF_ROWS = 300


def person_json(document: dict[str, Any]) -> str:
    """The machine-readable copy: exactly what ``json.dumps(document, ensure_ascii=False,
    indent=2)`` writes. ``json`` writes indented text in pure Python, value by value (seconds
    for a rich history); here each object or array of plain values (a record's fields) is
    written by ``json``'s C encoder in one call, its item separator carrying the line break and
    the indentation of its level."""
    return _block(document, 0)


_SCALARS = frozenset({str, int, float, bool, type(None)})
_CONTAINERS = frozenset({dict, list})
_LITERALS = {None: "null", True: "true", False: "false"}


@functools.cache
def _encoder(level: int) -> json.JSONEncoder:
    """The C encoder of one line per item at ``level``."""
    return json.JSONEncoder(
        ensure_ascii=False, check_circular=False, separators=(",\n" + "  " * level, ": ")
    )


def _plain(values: Any) -> bool:
    """Whether every one of ``values`` fits on one line: a plain value or an empty object or
    array (empty, like 0, "" and null, it is false and left out of the test). A subclass of those
    goes the long way, as ``json`` would treat it."""
    return _SCALARS.issuperset(map(type, filter(None, values)))


def _block(value: Any, level: int) -> str:
    """``value`` as ``json.dumps(indent=2)`` writes it ``level`` levels deep in a document."""
    kind = type(value)
    if kind is str:
        return json.encoder.encode_basestring(value)
    if kind is int:
        return int.__repr__(value)
    if kind in _CONTAINERS and value:
        pad = "\n" + "  " * (level + 1)
        if kind is dict:
            if _plain(value.values()):
                return "{" + pad + _encoder(level + 1).encode(value)[1:-1] + pad[:-2] + "}"
            items = (f"{pad}{_key(k)}: {_block(v, level + 1)}" for k, v in value.items())
            return "{" + ",".join(items) + pad[:-2] + "}"
        if _plain(value):
            return "[" + pad + _encoder(level + 1).encode(value)[1:-1] + pad[:-2] + "]"
        records = _records(value, level)
        if records is not None:
            return records
        return "[" + ",".join(pad + _block(v, level + 1) for v in value) + pad[:-2] + "]"
    if value is None or value is True or value is False:
        return _LITERALS[value]
    # Anything else (numbers with a fraction, subclasses, empty containers) as ``json`` writes
    # it, its own line breaks indented to the level.
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("\n", "\n" + "  " * level) if level else text


_RECORD = ("id", "fields")
_DICT = frozenset({dict})
_KEYS = frozenset({int, str})


def _records(rows: list[Any], level: int) -> str | None:
    """A kind of data's records (``{"id": ..., "fields": {...}}``, the fields plain values), the
    bulk of a copy, written by the C encoder in two calls: their keys, then their fields as one
    array, split where one record's fields end and the next one's begin (a closing brace, the
    separator, an opening brace: inside the fields the separator comes before a key, and a
    string holds no line break). ``None`` when the rows are not all such records."""
    if not _DICT.issuperset(map(type, rows)) or set(map(tuple, rows)) != {_RECORD}:
        return None
    keys = list(map(itemgetter("id"), rows))
    fields = list(map(itemgetter("fields"), rows))
    if not (
        _KEYS.issuperset(map(type, keys))
        and _DICT.issuperset(map(type, fields))
        and all(fields)
        and _plain(chain.from_iterable(map(dict.values, fields)))
    ):
        return None
    outer, inner, deep = ("\n" + "  " * (level + n) for n in (1, 2, 3))
    separator = _encoder(level + 3).item_separator
    texts = _encoder(level + 3).encode(fields)[2:-2].split("}" + separator + "{")
    ids = _encoder(0).encode(keys)[1:-1].split(",\n")
    return (
        "["
        + ",".join(
            f'{outer}{{{inner}"id": {key},{inner}"fields": {{{deep}{text}{inner}}}{outer}}}'
            for key, text in zip(ids, texts, strict=True)
        )
        + outer[:-2]
        + "]"
    )


def _key(key: Any) -> str:
    """An object's key as ``json`` writes it (a number or literal key as text)."""
    if type(key) is str:
        return json.encoder.encode_basestring(key)
    return _block({key: 0}, 0)[4:-5]


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def person_pdf(document: dict[str, Any]) -> bytes:
    """The readable copy, in the language the export was made in: each kind of data with its
    rows, then what the Art. 15 information says of each processing."""
    with translation.override(document["language"]):
        title = _("Your personal data")
        pdf = FPDF(format="A4")
        pdf.set_title(_latin1(title))
        pdf.set_auto_page_break(True, margin=15)
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 14)
        heading = f"{title} - {settings.TRYGG_COMPANY_NAME} - {document['generated_on']}"
        pdf.multi_cell(0, 8, _latin1(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=9)
        pdf.multi_cell(
            0,
            5,
            _latin1(
                _(
                    "This is a copy of the personal data we hold about you (GDPR Art. 15), "
                    "with the purposes, recipients, retention and source of each processing."
                )
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        for section in document["data"]:
            pdf.ln(3)
            pdf.set_font("Helvetica", "B", 12)
            pdf.multi_cell(
                0, 7, _latin1(str(section["name"]).capitalize()), new_x="LMARGIN", new_y="NEXT"
            )
            pdf.set_font("Helvetica", size=8)
            rows = section["rows"]
            for row in rows[:PDF_ROWS]:
                # One paragraph per record ("label: value; ..."): a cell per field would take a
                # rich history (thousands of log entries) many seconds to lay out.
                text = "; ".join(
                    f"{label}: {_cell(row['fields'].get(name))}"
                    for name, label in section["fields"].items()
                )
                pdf.multi_cell(0, 4, _latin1(text)[:4000], new_x="LMARGIN", new_y="NEXT")
            if len(rows) > PDF_ROWS:
                more = _("%(count)s more records of this kind are in the machine-readable copy.")
                pdf.set_font("Helvetica", "I", 8)
                pdf.multi_cell(
                    0,
                    4,
                    _latin1(more % {"count": len(rows) - PDF_ROWS}),
                    new_x="LMARGIN",
                    new_y="NEXT",
                )
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(0, 8, _latin1(_("How we process your data")), new_x="LMARGIN", new_y="NEXT")
        labels = {
            "purpose": _("Purpose"),
            "legal_basis": _("Legal basis"),
            "recipients": _("Recipients"),
            "retention": _("Retention"),
            "source": _("Source"),
        }
        for info in document["processing"]:
            pdf.ln(2)
            pdf.set_font("Helvetica", "B", 11)
            pdf.multi_cell(0, 6, _latin1(info["name"]), new_x="LMARGIN", new_y="NEXT")
            for key, label in labels.items():
                value = info.get(key)
                text = "; ".join(value) if isinstance(value, list) else str(value or "")
                if not text:
                    continue
                pdf.set_font("Helvetica", "B", 9)
                pdf.cell(45, 5, _latin1(str(label)))
                pdf.set_font("Helvetica", size=9)
                pdf.multi_cell(0, 5, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())
