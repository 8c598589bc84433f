"""One money and number format: the formatter in each language, the template filters, and no
template that formats an amount itself."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation

from trygg.kernel.money import Money
from trygg.kernel.numbertext import account_text, bankgiro_text, id_number_text, money_text

SRC = Path(__file__).resolve().parents[2] / "src" / "trygg"
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", f"25{NBSP}000,00{NBSP}kr"),
        ("nb", f"25{NBSP}000,00{NBSP}kr"),
        ("en", "SEK 25,000.00"),
        ("sv-se", f"25{NBSP}000,00{NBSP}kr"),
        ("de", f"25{NBSP}000,00{NBSP}kr"),
    ],
)
def test_money_text_in_each_language(language: str, expected: str) -> None:
    assert money_text(Decimal("25000"), language=language) == expected


def test_money_text_follows_the_active_language_and_rounds_half_up() -> None:
    with translation.override("en"):
        assert money_text(Decimal("1234567.005")) == "SEK 1,234,567.01"
    with translation.override("sv"):
        assert money_text(Money.of("-0.5")) == f"-0,50{NBSP}kr"
        assert money_text(12) == f"12,00{NBSP}kr"


def test_the_money_filter_in_a_template() -> None:
    template = engines["django"].from_string("{{ a|money }}|{{ none|money }}|{{ pbb|money }}")
    with translation.override("sv"):
        rendered = template.render({"a": Decimal("25000.5"), "none": None, "pbb": 58800})
    assert rendered == f"25{NBSP}000,50{NBSP}kr||58{NBSP}800,00{NBSP}kr"


def test_numbers_as_people_write_them() -> None:
    assert id_number_text("195805097747") == "19580509-7747"
    assert id_number_text("5560360793") == "556036-0793"
    assert id_number_text("not a number") == "not a number"
    assert bankgiro_text("50501055") == "5050-1055"
    assert bankgiro_text("5051055") == "505-1055"
    assert bankgiro_text("12") == "12"
    assert account_text("3300", "811218 2228") == "3300-8112182228"


# An amount formatted in a template by hand: a number filter on a money-like name, or "kr" /
# "SEK" written after a value.
_AMOUNT_NAME = r"[\w.]*(amount|price|total|balance|fee|premium|carried|payout|pbb|max_)[\w.]*"
_BY_HAND = [
    re.compile(r"\{\{\s*" + _AMOUNT_NAME + r"\s*\|\s*(floatformat|stringformat|intcomma)"),
    re.compile(r"\|\s*floatformat[^}]*\}\}\s*(kr|SEK)\b"),
    re.compile(r"\}\}\s*(kr|SEK)\b"),
    re.compile(r"=\s*" + _AMOUNT_NAME + r"\|(floatformat|stringformat)"),
]


def amounts_formatted_by_hand(text: str) -> list[str]:
    return [m.group(0) for pattern in _BY_HAND for m in pattern.finditer(text)]


def test_no_template_formats_an_amount_itself() -> None:
    found = {
        str(path.relative_to(SRC)): hits
        for path in sorted(SRC.rglob("templates/**/*.html"))
        if (hits := amounts_formatted_by_hand(path.read_text(encoding="utf-8")))
    }
    assert not found, f"amounts formatted without the money filter: {found}"


@pytest.mark.parametrize(
    "snippet",
    [
        '{{ c.amount|floatformat:"2g" }} kr',
        '{{ q.annual_price|floatformat:"2g" }}',
        "{{ account.balance }} kr",
        '{% blocktranslate with fee=c.fee|floatformat:"2g" %}',
        "{{ total|stringformat:'s' }}",
    ],
)
def test_the_check_finds_an_amount_formatted_by_hand(snippet: str) -> None:
    assert amounts_formatted_by_hand(snippet)


@pytest.mark.parametrize(
    "snippet",
    ["{{ c.amount|money }}", '{{ q.surcharge_percent|floatformat:"-2" }} %', "{{ h.units }}"],
)
def test_the_check_lets_the_formatter_pass(snippet: str) -> None:
    assert not amounts_formatted_by_hand(snippet)
