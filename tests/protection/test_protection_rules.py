"""The registry's and the blocking's rules at their edges (pure, no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.protection import rules
from trygg.protection.rules import BlockState, CallState, DocumentKind, IssuerKind, ItemKind


@pytest.mark.parametrize(
    "text",
    [
        "4111111111111111",  # a Visa test number, 16 digits
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "378282246310005",  # 15 digits (American Express)
        "123456789012",  # 12 digits, Luhn or not
        "1234567890123456789",  # 19 digits
        "kort 5555555555554444 mistet",
        "ks5555555555554444",
    ],
)
def test_a_card_number_is_refused_anywhere(text: str) -> None:
    with pytest.raises(rules.RuleError) as refused:
        rules.check_no_card_number("note", text)
    assert refused.value.code == "card_number.refused"
    assert refused.value.field == "note"
    assert text not in refused.value.message  # never echoed


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Visa Gold",
        "12345678901",  # 11 digits: a fødselsnummer is no card number
        "1234 5678 901",  # 11 digits in groups
        "1234  5678 9012",  # two spaces break the run: 4 and 8 digits
        "Mastercard 1234",
        "tlf 22 26 44 00",
    ],
)
def test_texts_without_a_card_number_pass(text: str) -> None:
    rules.check_no_card_number("note", text)


@given(st.integers(min_value=10**11, max_value=10**19 - 1))
def test_every_run_of_12_to_19_digits_is_refused(number: int) -> None:
    with pytest.raises(rules.RuleError):
        rules.check_no_card_number("card_type", f"x {number} y")


@pytest.mark.parametrize(
    ("company_card", "same_issuer", "required"),
    [
        (False, 1, False),  # one private card from the issuer: KS optional
        (False, 2, True),  # several cards from the same issuer
        (True, 1, True),  # a company card always
        (True, 3, True),
    ],
)
def test_ks_required_exactly_when_the_seed_says(
    company_card: bool, same_issuer: int, required: bool
) -> None:
    needed = rules.ks_required(company_card=company_card, cards_from_same_issuer=same_issuer)
    assert needed is required


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("12345", "ks.format"),
        ("12a4", "ks.format"),
        ("１２３４", "ks.format"),
        ("123", "ks.format"),
    ],
)
def test_ks_is_four_ascii_digits(text: str, code: str) -> None:
    with pytest.raises(rules.RuleError) as wrong:
        rules.clean_ks(text)
    assert wrong.value.code == code


def test_ks_cleaned() -> None:
    assert rules.clean_ks(" 0042 ") == "0042"
    assert rules.clean_ks("") == ""


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("490154203237518", "490154203237518"),
        ("49-015420-323751-8", "490154203237518"),
        ("35 209900 176148 1", "352099001761481"),
    ],
)
def test_imei_accepted(text: str, result: str) -> None:
    assert rules.clean_imei(text) == result


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("490154203237517", "imei.checksum"),  # last digit wrong
        ("49015420323751", "imei.format"),  # 14 digits
        ("4901542032375180", "imei.format"),  # 16 digits (IMEISV is not an IMEI)
        ("49015420323751A", "imei.format"),
        ("", "imei.format"),
    ],
)
def test_imei_refused(text: str, code: str) -> None:
    with pytest.raises(rules.RuleError) as wrong:
        rules.clean_imei(text)
    assert (wrong.value.code, wrong.value.field) == (code, "imei")


def _issuer(kind: IssuerKind, code: str = "x", replacement: bool = False) -> rules.IssuerTerms:
    return rules.IssuerTerms(code=code, kind=kind, can_order_replacement=replacement)


@pytest.mark.parametrize(
    ("kind", "document", "issuer", "fits"),
    [
        (ItemKind.CARD, None, IssuerKind.CARD_ISSUER, True),
        (ItemKind.CARD, None, IssuerKind.MOBILE_OPERATOR, False),
        (ItemKind.PHONE, None, IssuerKind.MOBILE_OPERATOR, True),
        (ItemKind.PHONE, None, IssuerKind.CARD_ISSUER, False),
        (ItemKind.DOCUMENT, DocumentKind.DRIVING_LICENCE, IssuerKind.ROAD_AUTHORITY, True),
        (ItemKind.DOCUMENT, DocumentKind.DRIVING_LICENCE, IssuerKind.POLICE, False),
        (ItemKind.DOCUMENT, DocumentKind.PASSPORT, IssuerKind.POLICE, True),
        (ItemKind.DOCUMENT, DocumentKind.PASSPORT, IssuerKind.CARD_ISSUER, False),
        (ItemKind.DOCUMENT, DocumentKind.ID_CARD, IssuerKind.CARD_ISSUER, True),  # a bank
        (ItemKind.DOCUMENT, DocumentKind.ID_CARD, IssuerKind.POLICE, True),
    ],
)
def test_which_issuer_answers_for_which_item(
    kind: ItemKind, document: DocumentKind | None, issuer: IssuerKind, fits: bool
) -> None:
    check = lambda: rules.check_issuer_fits(  # noqa: E731
        kind=kind, document_kind=document, issuer=_issuer(issuer)
    )
    if fits:
        check()
    else:
        with pytest.raises(rules.RuleError) as wrong:
            check()
        assert wrong.value.field == "issuer"


def test_a_document_needs_its_kind() -> None:
    with pytest.raises(rules.RuleError) as wrong:
        rules.check_issuer_fits(
            kind=ItemKind.DOCUMENT, document_kind=None, issuer=_issuer(IssuerKind.POLICE)
        )
    assert wrong.value.field == "document_kind"


def test_a_card_block_is_never_lifted_a_phone_or_document_may_be() -> None:
    with pytest.raises(rules.RuleError) as refused:
        rules.check_lift(ItemKind.CARD)
    assert refused.value.code == "lift.card"
    rules.check_lift(ItemKind.PHONE)
    rules.check_lift(ItemKind.DOCUMENT)


ALL_BLOCK_MOVES = [(a, b) for a in BlockState for b in BlockState]
ALLOWED_BLOCK_MOVES = {
    (BlockState.REQUESTED, BlockState.SENT),
    (BlockState.SENT, BlockState.CONFIRMED),
    (BlockState.SENT, BlockState.NOT_FOUND),
    (BlockState.SENT, BlockState.REQUESTED),
    (BlockState.SENT, BlockState.FAILED),
    (BlockState.CONFIRMED, BlockState.LIFTED),
    (BlockState.NOT_FOUND, BlockState.REQUESTED),
    (BlockState.FAILED, BlockState.REQUESTED),
}


@pytest.mark.parametrize(("now", "to"), ALL_BLOCK_MOVES)
def test_block_state_table(now: BlockState, to: BlockState) -> None:
    if (now, to) in ALLOWED_BLOCK_MOVES:
        rules.check_move(rules.BLOCK_TRANSITIONS, now, to, "block")
    else:
        with pytest.raises(rules.RuleError) as refused:
            rules.check_move(rules.BLOCK_TRANSITIONS, now, to, "block")
        assert refused.value.code == "block.transition"


def test_a_confirmed_block_is_never_sent_again() -> None:
    for to in (BlockState.REQUESTED, BlockState.SENT):
        with pytest.raises(rules.RuleError):
            rules.check_move(rules.BLOCK_TRANSITIONS, BlockState.CONFIRMED, to, "block")


@pytest.mark.parametrize(
    ("now", "to", "ok"),
    [
        (CallState.OPEN, CallState.CLOSED, True),
        (CallState.OPEN, CallState.ABANDONED, True),
        (CallState.CLOSED, CallState.COMPLETED, True),
        (CallState.COMPLETED, CallState.CLOSED, True),
        (CallState.CLOSED, CallState.OPEN, False),
        (CallState.ABANDONED, CallState.OPEN, False),
        (CallState.COMPLETED, CallState.OPEN, False),
    ],
)
def test_call_state_table(now: CallState, to: CallState, ok: bool) -> None:
    if ok:
        rules.check_move(rules.CALL_TRANSITIONS, now, to, "call")
    else:
        with pytest.raises(rules.RuleError):
            rules.check_move(rules.CALL_TRANSITIONS, now, to, "call")


@pytest.mark.parametrize(
    ("attempts", "delay", "then"),
    [
        (1, 2, BlockState.REQUESTED),
        (2, 4, BlockState.REQUESTED),
        (5, 32, BlockState.REQUESTED),
        (6, 64, BlockState.FAILED),
    ],
)
def test_back_off_and_giving_up(attempts: int, delay: int, then: BlockState) -> None:
    assert rules.retry_delay(attempts) == dt.timedelta(seconds=delay)
    assert rules.after_no_answer(attempts) == then


def test_closing_advice_names_who_sends_new_cards_and_whom_to_contact() -> None:
    dnb = _issuer(IssuerKind.CARD_ISSUER, "dnb", replacement=True)
    amex = _issuer(IssuerKind.CARD_ISSUER, "amex", replacement=False)
    telenor = _issuer(IssuerKind.MOBILE_OPERATOR, "telenor", replacement=False)
    blocked = [
        (ItemKind.CARD, dnb),
        (ItemKind.CARD, dnb),
        (ItemKind.CARD, amex),
        (ItemKind.PHONE, telenor),
    ]
    advice = rules.closing_advice(blocked, replacement_wanted=True)
    assert advice.replacement_ordered == ("dnb",)
    assert advice.contact_yourself == ("amex",)
    none = rules.closing_advice(blocked, replacement_wanted=False)
    assert none.replacement_ordered == () and none.contact_yourself == ()


def test_the_five_minute_promise() -> None:
    closed = dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC)
    assert rules.within_promise(closed, closed + dt.timedelta(minutes=5))
    assert not rules.within_promise(closed, closed + dt.timedelta(minutes=5, seconds=1))
