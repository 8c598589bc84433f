"""No input makes the reader raise anything but its own error type.

Hypothesis feeds the reader arbitrary bytes, and valid files spoiled by changed, inserted and
removed bytes (the likelier damage), in both modes, with and without check digits: ``validate``
returns a list of :class:`AutogiroError` and ``iter_records`` / ``read_bytes`` raise only
:class:`AutogiroValidationError`.
"""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autogiro import AutogiroError, AutogiroValidationError, iter_records, read_bytes, validate
from autogiro.messages import UNKNOWN
from autogiro_testkit import generated_stream

VALID = generated_stream(3).read()
OPTIONS = st.fixed_dictionaries({"strict": st.booleans(), "check_digits": st.booleans()})


def _read_every_way(data: bytes, options: dict[str, bool]) -> None:
    errors = validate(io.BytesIO(data), **options)
    assert all(isinstance(error, AutogiroError) for error in errors)
    # Every error has a code and a Swedish text from the catalogue (test_autogiro_messages).
    assert all(error.code != UNKNOWN for error in errors), [e.rule for e in errors]
    try:
        records = read_bytes(data, **options)
    except AutogiroValidationError as error:
        refused = error.errors
        assert refused
        assert errors, "read_bytes refused what validate accepted"
    else:
        assert not errors, "validate refused what read_bytes accepted"
        assert records == list(iter_records(io.BytesIO(data), **options))
        return
    try:
        for _record in iter_records(io.BytesIO(data), **options):
            pass
    except AutogiroValidationError:
        pass
    else:
        raise AssertionError("iter_records accepted what read_bytes refused")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400), options=OPTIONS)
def test_arbitrary_bytes(data: bytes, options: dict[str, bool]) -> None:
    _read_every_way(data, options)


@st.composite
def spoiled(draw: st.DrawFn) -> bytes:
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["change", "insert", "remove", "cut"]))
        byte = draw(st.sampled_from([0x20, 0x30, 0x39, 0x41, 0x0A, 0x0D, 0x1A, 0xC3, 0xE5, 0xFF]))
        if action == "change" and data:
            data[position] = byte
        elif action == "insert":
            data.insert(position, byte)
        elif action == "remove" and data:
            del data[position]
        else:
            del data[position:]
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=spoiled(), options=OPTIONS)
def test_spoiled_valid_files(data: bytes, options: dict[str, bool]) -> None:
    _read_every_way(data, options)


def test_the_valid_file_is_read() -> None:
    assert len(read_bytes(VALID)) == 3 + 3
