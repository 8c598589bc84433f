import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import trygg
from trygg.kernel.money import Money, MoneyError, round_amount

amounts = st.decimals(
    min_value=Decimal("-1e9"),
    max_value=Decimal("1e9"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)


@pytest.mark.parametrize(
    ("raw", "rounded"),
    [
        ("10.005", "10.01"),
        ("10.004", "10.00"),
        ("-10.005", "-10.01"),
        ("0.125", "0.13"),
        ("11075", "11075.00"),
        ("2.5", "2.50"),
    ],
)
def test_one_rounding_rule_half_up(raw: str, rounded: str) -> None:
    assert Money.of(raw).rounded().amount == Decimal(rounded)


@pytest.mark.parametrize(
    ("raw", "rounded"),
    [
        # Where half up and half-even (Decimal's default, the old quantize) part ways.
        ("0.125", "0.13"),
        ("10.125", "10.13"),
        ("2.665", "2.67"),
        ("-0.125", "-0.13"),
        ("1051.2915", "1051.29"),
        ("740", "740.00"),
    ],
)
def test_round_amount_is_the_one_rule_half_up(raw: str, rounded: str) -> None:
    assert round_amount(Decimal(raw)) == Decimal(rounded)
    assert str(round_amount(Decimal(raw), "NOK")) == rounded


def test_round_amount_refuses_an_unknown_currency() -> None:
    with pytest.raises(MoneyError) as exc:
        round_amount(Decimal("1.005"), "XXX")
    assert exc.value.code == "money.currency"


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9))
def test_round_amount_and_money_agree(amount: Decimal) -> None:
    rounded = round_amount(amount)
    assert rounded == Money.of(amount).rounded().amount
    assert abs(rounded - amount) <= Decimal("0.005")
    assert rounded.as_tuple().exponent == -2


def test_no_amount_is_rounded_outside_the_money_module() -> None:
    """``Decimal.quantize`` without a rounding argument rounds half-even: every rounding of an
    amount goes through :func:`round_amount` instead."""
    package = Path(trygg.__file__).parent
    offenders = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        if path.relative_to(package).as_posix() != "kernel/money.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.quantize\(|ROUND_HALF", line)
    ]
    assert offenders == []


def test_floats_are_refused() -> None:
    with pytest.raises(MoneyError) as exc:
        Money.of(0.1)  # type: ignore[arg-type]
    assert exc.value.code == "money.float"


def test_currencies_do_not_mix() -> None:
    with pytest.raises(MoneyError) as exc:
        Money.of("1", "SEK") + Money.of("1", "NOK")
    assert exc.value.code == "money.currency_mismatch"


def test_unknown_currency_and_garbage_refused() -> None:
    with pytest.raises(MoneyError):
        Money.of("1", "XXX")
    with pytest.raises(MoneyError):
        Money.of("twelve")
    with pytest.raises(MoneyError):
        Money.of("NaN")


def test_price_base_amount_quarter() -> None:
    # 0.25 price base amounts of 2016 (44 300 kr) is 11 075 kr.
    assert (Money.of("44300") * Decimal("0.25")).rounded() == Money.of("11075.00")


def test_format_per_language() -> None:
    amount = Money.of("12345.5")
    assert amount.format("sv") == "12\u00a0345,50\u00a0kr"
    assert amount.format("nb") == "12\u00a0345,50\u00a0kr"
    assert amount.format("en") == "SEK 12,345.50"
    assert Money.of("-5", "NOK").format("sv") == "-5,00\u00a0kr"


@given(
    amounts,
    st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=12).filter(
        lambda r: sum(r) > 0
    ),
)
def test_allocation_never_loses_or_creates_money(amount: Decimal, ratios: list[int]) -> None:
    whole = Money.of(amount)
    parts = whole.allocate(ratios)
    assert sum(p.to_minor() for p in parts) == whole.to_minor()
    assert all(p.to_minor() == 0 for p, r in zip(parts, ratios, strict=True) if r == 0)
    # No part is more than one minor unit away from its exact share.
    total = sum(ratios)
    for part, ratio in zip(parts, ratios, strict=True):
        assert abs(part.to_minor() * total - whole.to_minor() * ratio) <= total


@given(amounts, amounts)
def test_addition_is_exact(a: Decimal, b: Decimal) -> None:
    assert (Money.of(a) + Money.of(b)).amount == a + b
    assert (Money.of(a) - Money.of(a)).is_zero()


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_minor_units_round_trip(minor: int) -> None:
    assert Money.from_minor(minor).to_minor() == minor
