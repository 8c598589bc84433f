"""Swedish is complete, Norwegian Bokmål too, and the compiled catalogues match the sources."""

from __future__ import annotations

import gettext
import json
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "src" / "trygg" / "locale"


def _entries(po: Path) -> list[tuple[str, str, bool, str]]:
    """(msgid, msgstr, fuzzy, msgctxt) for every entry of a .po file (a small reader of the
    format)."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        current, parts = None, {"msgid": "", "msgstr": "", "msgctxt": ""}
        for line in lines:
            if line.startswith("msgctxt "):
                current = "msgctxt"
            elif line.startswith("msgid "):
                current = "msgid"
            elif line.startswith("msgstr"):
                current = "msgstr"
            elif not line.startswith('"'):
                continue
            if current:
                parts[current] += json.loads(line[line.index('"') :])
        if parts["msgid"]:
            entries.append((parts["msgid"], parts["msgstr"], fuzzy, parts["msgctxt"]))
    return entries


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_catalogue_is_complete(language: str) -> None:
    entries = _entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 150
    missing = [msgid for msgid, msgstr, fuzzy, _ctxt in entries if not msgstr or fuzzy]
    assert missing == []


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_compiled_catalogue_matches_source(language: str) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        msgid
        for msgid, msgstr, _fuzzy, context in _entries(folder / "django.po")
        if (compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)) != msgstr
    ]
    assert stale == [], "run `make messages` to compile the catalogues"
