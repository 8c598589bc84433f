"""What a PIN may be (pure rules), and its hashing."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.identity import rules
from trygg.identity.pins import PinHasher, generate_initial_pin

BORN = dt.date(1981, 12, 18)


@pytest.mark.parametrize(
    ("pin", "code"),
    [
        ("0000", "pin.repeated_digit"),
        ("1111", "pin.repeated_digit"),
        ("999999", "pin.repeated_digit"),
        ("1234", "pin.sequence"),
        ("12345", "pin.sequence"),
        ("0123", "pin.sequence"),
        ("4321", "pin.sequence"),
        ("987654", "pin.sequence"),
        ("1212", "pin.pattern"),
        ("121212", "pin.pattern"),
        ("123123", "pin.pattern"),
        ("2580", "pin.common"),
        ("1004", "pin.common"),
        ("112233", "pin.common"),
        ("1981", "pin.birth_date"),
        ("1218", "pin.birth_date"),
        ("811218", "pin.birth_date"),
        ("1812", "pin.birth_date"),
        ("123", "pin.length"),
        ("1234567", "pin.length"),
        ("", "pin.length"),
        ("12a4", "pin.digits_only"),
        ("١٢٣٤", "pin.digits_only"),
        ("12 34", "pin.digits_only"),
    ],
)
def test_trivial_or_malformed_pins_refused(pin: str, code: str) -> None:
    codes = [p.code for p in rules.pin_problems(pin, birth_date=BORN, id_number="198112189876")]
    assert code in codes


def test_end_of_identity_number_refused() -> None:
    codes = [p.code for p in rules.pin_problems("9876", birth_date=BORN, id_number="198112189876")]
    assert "pin.id_number" in codes


@pytest.mark.parametrize("pin", ["4826", "7391", "50671", "308417", "5067"])
def test_good_pins_of_four_to_six_digits_accepted(pin: str) -> None:
    assert rules.pin_problems(pin, birth_date=BORN, id_number="198112189876") == []


def test_five_failures_lock_and_the_fourth_warns() -> None:
    assert [rules.must_warn(n) for n in range(6)] == [False, False, False, False, True, False]
    assert [rules.is_locked(n) for n in range(7)] == [False] * 5 + [True] * 2
    assert rules.attempts_left(3) == 2


@given(st.integers(min_value=4, max_value=6))
@settings(max_examples=30)
def test_initial_pins_pass_every_rule(length: int) -> None:
    pin = generate_initial_pin(length)
    assert len(pin) == length
    assert rules.pin_problems(pin) == []


def test_hash_is_argon2id_over_the_pepper() -> None:
    hasher = PinHasher(pepper="pepper-one", time_cost=1, memory_kib=1024, parallelism=1)
    encoded = hasher.hash("4826")
    assert encoded.startswith("$argon2id$")
    assert "4826" not in encoded
    assert hasher.verify(encoded, "4826")
    assert not hasher.verify(encoded, "4827")
    other = PinHasher(pepper="pepper-two", time_cost=1, memory_kib=1024, parallelism=1)
    assert not other.verify(encoded, "4826"), "without the pepper the hash is useless"


def test_verify_without_credential_fails_but_does_the_work() -> None:
    hasher = PinHasher(pepper="p", time_cost=1, memory_kib=1024, parallelism=1)
    assert hasher.verify(None, "4826") is False
    assert hasher.verify("not a hash", "4826") is False


def test_rehash_when_parameters_grow() -> None:
    light = PinHasher(pepper="p", time_cost=1, memory_kib=1024, parallelism=1)
    strong = PinHasher(pepper="p", time_cost=2, memory_kib=2048, parallelism=1)
    assert strong.needs_rehash(light.hash("4826"))
    assert not light.needs_rehash(light.hash("4826"))
