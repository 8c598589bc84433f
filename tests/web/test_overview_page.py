"""The overview's content, rendered in Python (``trygg.web.overview_page``), shows every value
as text: what a customer or a letter's title holds is escaped as the template language escapes
it, in every language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from trygg.overview.selectors import (
    AccountLine,
    ClaimLine,
    DebitLine,
    Engagement,
    LetterLine,
    Overview,
    PolicySummary,
)
from trygg.parties.selectors import ContactDetails
from trygg.web.overview_page import overview_content

MARKUP = "<b>A & \"B\" 'C'</b>"
ESCAPED = "&lt;b&gt;A &amp; &quot;B&quot; &#x27;C&#x27;&lt;/b&gt;"


def _overview() -> Overview:
    contact = ContactDetails(
        party_id=7,
        customer_number="1000017",
        name=MARKUP,
        care_of=MARKUP,
        street=MARKUP,
        postal_code="111 22",
        city=MARKUP,
        country="SE",
        email=MARKUP,
        mobile="",
        home_phone="",
    )
    engagement = Engagement(
        7,
        "1000017",
        MARKUP,
        "private",
        contact,
        [AccountLine(3, MARKUP, "9020-1", Decimal("12.50"))],
        [DebitLine(dt.date(2027, 1, 4), MARKUP, Decimal("110.17"), "invoice", "x", "y", MARKUP)],
    )
    return Overview(
        party_id=7,
        customer_number="1000017",
        name=MARKUP,
        engagements=[engagement],
        logins=[],
        policies=[PolicySummary(MARKUP, MARKUP, 3, None, "active", MARKUP)],
        claims=[ClaimLine(MARKUP, MARKUP, MARKUP, dt.date(2026, 12, 1))],
        letters=[LetterLine("post", "REF-1", dt.date(2026, 12, 2), MARKUP)],
    )


@pytest.mark.parametrize("language", ["sv", "nb", "en"])
def test_every_value_is_shown_as_text(language: str) -> None:
    with translation.override(language):
        html = overview_content(_overview())
    assert "<b>" not in html
    # name (heading, two cards), care of, street, city, e-mail, account, premium's policy and
    # OCR, policy number, insured and state, claim number, its policy and state, letter title
    assert html.count(ESCAPED) == 17


def test_welcome_links_and_an_empty_log_in_table() -> None:
    with translation.override("sv"):
        html = overview_content(_overview())
    assert "Välkommen, " + ESCAPED in html
    assert '<a href="/bank/accounts/3/">' in html
    assert '<tr><td colspan="4">Inga inloggningar' in html
