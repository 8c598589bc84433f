"""OCR references: Luhn check digit and length digit, every mistake refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.billing.ocr import OcrError, ocr_reference, ocr_valid


@pytest.mark.parametrize(
    ("base", "with_length", "expected"),
    [
        ("1234567", False, "12345674"),  # Luhn over 1234567 → 4
        ("123456", True, "12345682"),  # length 8 → length digit 8, Luhn over 1234568 → 2
        ("4711", True, "471169"),  # length 6 → 6, Luhn over 47116 → 9
    ],
)
def test_known_references(base: str, with_length: bool, expected: str) -> None:
    assert ocr_reference(base, with_length=with_length) == expected
    assert ocr_valid(expected, with_length=with_length)


@pytest.mark.parametrize(
    ("base", "code"),
    [("12a4", "ocr.digits_only"), ("", "ocr.digits_only"), ("1" * 24, "ocr.length")],
)
def test_bad_bases_are_refused(base: str, code: str) -> None:
    with pytest.raises(OcrError) as exc:
        ocr_reference(base)
    assert exc.value.code == code


@given(st.text(alphabet="0123456789", min_size=1, max_size=23), st.data())
def test_any_single_wrong_digit_or_truncation_is_caught(base: str, data: st.DataObject) -> None:
    reference = ocr_reference(base)
    assert ocr_valid(reference)
    position = data.draw(st.integers(min_value=0, max_value=len(reference) - 1))
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != reference[position]]))
    changed = reference[:position] + digit + reference[position + 1 :]
    assert not ocr_valid(changed)
    assert not ocr_valid(reference[1:])  # a truncated reference fails its length digit
