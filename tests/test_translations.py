"""Swedish is complete, Norwegian Bokmål too, and the compiled catalogues match the sources."""

from __future__ import annotations

import gettext
import json
import re
from collections.abc import Iterable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

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


# -- no English on a Swedish page ------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\(\w+\)[sdfi]|%[sdfi]|\{\w*\}|<[^>]+>")
SKIPPED = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
SHOWN_ATTRIBUTES = re.compile(
    r"""\b(?:aria-label|title|placeholder|alt|value)="([^"]*)\"""", re.IGNORECASE
)
# Pages of the walk that are no page to read (files, images, redirects of a log-in under way).
NOT_READ = ("qr", "download", "letter", "export", "print", "receipt.pdf")


def english_phrases(language: str = "sv") -> set[str]:
    """The English phrases that a translated page must not show: each translated msgid's text
    between its placeholders and markup, three words or longer, unless the translation keeps
    it (a product or file name)."""
    phrases = set()
    for msgid, msgstr, _fuzzy, _ctxt, _plural in _entries(
        LOCALE / language / "LC_MESSAGES" / "django.po"
    ):
        if not msgstr or msgstr == msgid:
            continue
        for part in PLACEHOLDER.split(msgid):
            part = " ".join(part.split()).strip(" .,:;()–-")
            if len(part.split()) >= 3 and part not in msgstr:
                phrases.add(part)
    return phrases


def page_text(html: str) -> str:
    """What a reader sees or hears of ``html``: its text and the attributes read aloud."""
    html = SKIPPED.sub(" ", html)
    said = " ".join(SHOWN_ATTRIBUTES.findall(html))
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(unescape(f"{text} {said}").split())


def english_on(html: str, phrases: set[str]) -> list[str]:
    text = page_text(html)
    return sorted(phrase for phrase in phrases if phrase in text)


def _read(client: Client, urls: Iterable[str]) -> dict[str, list[str]]:
    phrases = english_phrases()
    found, read = {}, 0
    for url in urls:
        if any(word in url for word in NOT_READ):
            continue
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="sv")
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        read += 1
        english = english_on(response.content.decode(), phrases)
        if english:
            found[url] = english
    assert read > 20, "the walk read too few pages"
    return found


def test_the_check_finds_english_that_reaches_a_page() -> None:
    phrases = english_phrases()
    assert "Please correct the fields marked below" not in phrases  # no longer a msgid
    with translation.override("en"):
        english = str(
            translation.gettext("You will be logged out in one minute unless you continue.")
        )
    swedish_page = f'<p data-x="1">Hej</p><button aria-label="{english}">x</button>'
    assert english_on(swedish_page, phrases) == [english.rstrip(".")]
    assert english_on("<p>Du loggas ut om en minut om du inte fortsätter.</p>", phrases) == []


@pytest.mark.django_db
def test_no_english_msgid_on_a_swedish_portal_page(frozen: Any) -> None:
    from tests.conftest import portal_login
    from tests.test_personal_data_reads import PORTAL_WITHOUT_PERSONAL_DATA
    from tests.walk import portal_pages, seed_demo_customer

    seeded = seed_demo_customer(0)
    client = Client()
    client.cookies["trygg_language"] = "sv"
    assert portal_login(client, seeded.customer.id_number, seeded.customer.pin).status_code == 302
    logged_out = {name: "" for name in PORTAL_WITHOUT_PERSONAL_DATA if "login" in name}
    found = _read(client, portal_pages(seeded, {**logged_out, "logout": ""}))
    assert found == {}, "\n".join(f"{url}: {english}" for url, english in found.items())


@pytest.mark.django_db
def test_no_english_msgid_on_a_swedish_back_office_page(frozen: Any) -> None:
    from tests.test_personal_data_reads import _superuser_client
    from tests.walk import backoffice_pages, seed_demo_customer

    seeded = seed_demo_customer(0)
    client = _superuser_client()
    client.cookies["trygg_language"] = "sv"
    found = _read(client, backoffice_pages(seeded))
    assert found == {}, "\n".join(f"{url}: {english}" for url, english in found.items())
