"""Conformance: every code table of the manual is data in the package, each code with its
Swedish text, and each code field of every layout reads exactly the codes of its table."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from autogiro import ALL_RECORD_TYPES, codes
from autogiro.fields import Code, OldStatus

TABLES: dict[str, Mapping[str, str]] = {
    "PERIOD_CODES": codes.PERIOD_CODES,
    "PAYMENT_STATUS_CODES": codes.PAYMENT_STATUS_CODES,
    "REFUND_CODES": codes.REFUND_CODES,
    "REJECTION_COMMENT_CODES": codes.REJECTION_COMMENT_CODES,
    "MANDATE_INFORMATION_CODES": codes.MANDATE_INFORMATION_CODES,
    "MANDATE_COMMENT_CODES": codes.MANDATE_COMMENT_CODES,
    "AMENDMENT_COMMENT_CODES": codes.AMENDMENT_COMMENT_CODES,
    "PAYMENT_TYPES": codes.PAYMENT_TYPES,
    "CONTENT_NAMES": codes.CONTENT_NAMES,
    "LIST_CONTENT_NAMES": codes.LIST_CONTENT_NAMES,
    "RECORD_TITLES": codes.RECORD_TITLES,
}

# The codes the domain digest names (the manual's facts), table by table.
NAMED_IN_THE_MANUAL = {
    "PERIOD_CODES": {"0", "1", "2", "3", "4", "5", "6", "7", "8"},
    "PAYMENT_STATUS_CODES": {"0", "1", "2", "9"},
    "REFUND_CODES": {"01", "02", "03"},
    "REJECTION_COMMENT_CODES": {"01", "02", "12", "13", "24"},
    "MANDATE_COMMENT_CODES": {"32", "33", "02", "07", "98", "01", "06", "03", "05", "10", "20"}
    | {"21", "23"},
    "PAYMENT_TYPES": {"82", "32"},
}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_code_has_a_swedish_text(name: str) -> None:
    table = TABLES[name]
    assert table
    for code, text in table.items():
        assert isinstance(code, str) and isinstance(text, str)
        assert text.strip() and text[0].isupper(), (name, code)
        assert text == text.strip()


@pytest.mark.parametrize("name", sorted(NAMED_IN_THE_MANUAL))
def test_the_codes_the_manual_names_are_in_the_tables(name: str) -> None:
    assert NAMED_IN_THE_MANUAL[name] <= set(TABLES[name])


def test_the_texts_of_the_manual() -> None:
    assert codes.PAYMENT_STATUS_CODES["0"].startswith("Godkänd")
    assert codes.PAYMENT_STATUS_CODES["1"] == "Täckning saknas, betalningen har inte genomförts"
    assert codes.MANDATE_COMMENT_CODES["32"] == "Nytt medgivande"
    assert codes.MANDATE_COMMENT_CODES["33"] == "Makulerat"
    assert codes.REJECTION_COMMENT_CODES["24"] == "Beloppet överstiger maxbeloppet"
    assert codes.REFUND_CODES["02"] == "Medgivandet har återkallats"
    assert codes.LIST_CONTENT_NAMES["BEVAKNINGSREG"] == "Utdrag ur bevakningsregistret"


def test_every_code_field_reads_its_table_and_every_table_has_its_texts() -> None:
    described = {id(table) for table in TABLES.values()}
    seen = 0
    for cls in ALL_RECORD_TYPES:
        for item in cls.LAYOUT:
            codec = item.codec
            if isinstance(codec, Code):
                seen += 1
                for code in codec.table:
                    assert codec.decode(code) == code
                    assert codec.encode(code) == code
                if isinstance(codec.table, Mapping):
                    assert id(codec.table) in described, (cls.__name__, item.name)
                    assert all(codec.table.values())
            if isinstance(codec, OldStatus):
                assert {codec.decode(c) for c in " 129"} <= set(codes.PAYMENT_STATUS_CODES)
    assert seen >= 10


def test_every_record_type_has_a_swedish_title() -> None:
    assert {cls.NAME for cls in ALL_RECORD_TYPES} == set(codes.RECORD_TITLES)
