"""Swedish is complete, Norwegian Bokmål too, and the compiled catalogues match the sources."""

from __future__ import annotations

import gettext
import json
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "src" / "trygg" / "locale"


def _entries(po: Path) -> list[tuple[str, str, bool, str, str]]:
    """(msgid, msgstr, fuzzy, msgctxt, msgid_plural) for every entry of a .po file (a small
    reader of the format). A plural entry's msgstr is its first form, or empty when any form
    is missing."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        current, parts = None, {"msgid": "", "msgctxt": "", "msgid_plural": ""}
        forms: dict[str, str] = {}
        for line in lines:
            if line.startswith("msgctxt "):
                current = "msgctxt"
            elif line.startswith("msgid_plural "):
                current = "msgid_plural"
            elif line.startswith("msgid "):
                current = "msgid"
            elif line.startswith("msgstr"):
                current = line.split(" ", 1)[0]  # msgstr, or msgstr[N] of a plural
                forms[current] = ""
            elif not line.startswith('"'):
                continue
            if current:
                text = json.loads(line[line.index('"') :])
                if current.startswith("msgstr"):
                    forms[current] += text
                else:
                    parts[current] += text
        if parts["msgid"]:
            msgstr = forms.get("msgstr", forms.get("msgstr[0]", ""))
            if not all(forms.values()):
                msgstr = ""
            entries.append((parts["msgid"], msgstr, fuzzy, parts["msgctxt"], parts["msgid_plural"]))
    return entries


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_catalogue_is_complete(language: str) -> None:
    entries = _entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 150
    missing = [msgid for msgid, msgstr, fuzzy, _ctxt, _plural in entries if not msgstr or fuzzy]
    assert missing == []


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_compiled_catalogue_matches_source(language: str) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    def compiled_text(msgid: str, context: str, plural: str) -> str:
        if plural:
            return compiled.ngettext(msgid, plural, 1)
        return compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)

    stale = [
        msgid
        for msgid, msgstr, _fuzzy, context, plural in _entries(folder / "django.po")
        if compiled_text(msgid, context, plural) != msgstr
    ]
    assert stale == [], "run `make messages` to compile the catalogues"
