"""TOTP (RFC 6238): the RFC's Appendix B vectors, windows and replays. Pure: no database."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.identity.otp.totp import (
    MAX_TOTP_WINDOW,
    TotpAlgorithm,
    TotpError,
    totp_now,
    totp_step,
    totp_verify,
)

# The RFC's seeds: the ASCII digits "1234567890" repeated to 20, 32 and 64 bytes.
SEEDS: dict[TotpAlgorithm, str] = {
    "sha1": base64.b32encode(b"12345678901234567890").decode(),
    "sha256": base64.b32encode(b"12345678901234567890123456789012").decode(),
    "sha512": base64.b32encode(b"1234567890" * 6 + b"1234").decode(),
}

# RFC 6238, Appendix B: (time, T as hex, SHA1, SHA256, SHA512), 8 digits, step 30, T0 0.
RFC6238_VECTORS = [
    (59, "0000000000000001", "94287082", "46119246", "90693936"),
    (1111111109, "00000000023523EC", "07081804", "68084774", "25091201"),
    (1111111111, "00000000023523ED", "14050471", "67062674", "99943326"),
    (1234567890, "000000000273EF07", "89005924", "91819424", "93441116"),
    (2000000000, "0000000003F940AA", "69279037", "90698825", "38618901"),
    (20000000000, "0000000027BC86AA", "65353130", "77737706", "47863826"),
]

CASES = [
    pytest.param(time, t_hex, algorithm, code, id=f"{algorithm}-{time}")
    for time, t_hex, *codes in RFC6238_VECTORS
    for algorithm, code in zip(("sha1", "sha256", "sha512"), codes, strict=True)
]


def test_the_rfc_table_is_complete() -> None:
    assert len(CASES) == 18


@pytest.mark.parametrize(("time", "t_hex", "algorithm", "expected"), CASES)
def test_rfc6238_appendix_b(time: int, t_hex: str, algorithm: TotpAlgorithm, expected: str) -> None:
    assert totp_step(time) == int(t_hex, 16)
    secret = SEEDS[algorithm]
    assert totp_now(secret, at=time, digits=8, algorithm=algorithm) == expected
    step = totp_verify(
        secret, expected, at=time, window=0, last_accepted_step=None, digits=8, algorithm=algorithm
    )
    assert step == int(t_hex, 16)


def test_aware_datetimes_equal_unix_seconds_and_naive_ones_are_refused() -> None:
    moment = dt.datetime(2005, 3, 18, 1, 58, 29, tzinfo=dt.UTC)  # 1111111109
    stockholm = moment.astimezone(dt.timezone(dt.timedelta(hours=1)))
    secret = SEEDS["sha1"]
    assert totp_now(secret, at=moment, digits=8) == "07081804"
    assert totp_now(secret, at=stockholm, digits=8) == "07081804"
    assert totp_now(secret, at=1111111109.9, digits=8) == "07081804"
    with pytest.raises(TotpError, match="time zone"):
        totp_now(secret, at=dt.datetime(2005, 3, 18, 1, 58, 29), digits=8)


def test_window_and_replay() -> None:
    secret = SEEDS["sha1"]
    code = totp_now(secret, at=1111111111)  # step 37037037
    # Checked one step later: inside the default window of one step.
    assert totp_verify(secret, code, at=1111111111 + 30, last_accepted_step=None) == 37037037
    assert totp_verify(secret, code, at=1111111111 + 30, window=0, last_accepted_step=None) is None
    assert totp_verify(secret, code, at=1111111111 + 90, last_accepted_step=None) is None
    # Once step 37037037 is stored, the same code is refused, and so are older ones.
    assert totp_verify(secret, code, at=1111111111, last_accepted_step=37037037) is None
    assert totp_verify(secret, code, at=1111111111, last_accepted_step=37037040) is None
    later = totp_now(secret, at=1111111111 + 30)
    assert totp_verify(secret, later, at=1111111111 + 30, last_accepted_step=37037037) == 37037038


@pytest.mark.parametrize("code", ["", "12345", "1234567", "12345a", " 123456", "１２３４５６"])
def test_malformed_codes_are_refused(code: str) -> None:
    assert totp_verify(SEEDS["sha1"], code, at=59, last_accepted_step=None) is None


def test_parameters_are_checked() -> None:
    secret = SEEDS["sha1"]
    with pytest.raises(TotpError, match="6-10 digits"):
        totp_now(secret, at=59, digits=4)
    with pytest.raises(TotpError, match="1-120 seconds"):
        totp_now(secret, at=59, step=0)
    with pytest.raises(TotpError, match="algorithm"):
        totp_now(secret, at=59, algorithm="md5")  # type: ignore[arg-type]
    with pytest.raises(TotpError, match="secret"):
        totp_now("not base32!", at=59)
    with pytest.raises(TotpError, match="secret"):
        totp_now(base64.b32encode(b"too short").decode(), at=59)
    with pytest.raises(TotpError, match="epoch"):
        totp_now(secret, at=-1)
    with pytest.raises(TotpError, match="window"):
        totp_verify(secret, "123456", at=59, window=MAX_TOTP_WINDOW + 1, last_accepted_step=None)


@given(
    st.sampled_from(["sha1", "sha256", "sha512"]),
    st.integers(6, 10),
    st.integers(0, 2**40),
    st.integers(1, 10**10 - 1),
)
def test_property_verify_accepts_the_code_and_nothing_else(
    algorithm: TotpAlgorithm, digits: int, time: int, shift: int
) -> None:
    secret = SEEDS[algorithm]
    code = totp_now(secret, at=time, digits=digits, algorithm=algorithm)
    assert len(code) == digits
    assert code.isdigit()
    step = totp_verify(
        secret, code, at=time, window=0, last_accepted_step=None, digits=digits, algorithm=algorithm
    )
    assert step == totp_step(time)
    other = str((int(code) + shift) % 10**digits).zfill(digits)
    if other != code:
        assert (
            totp_verify(
                secret,
                other,
                at=time,
                window=0,
                last_accepted_step=None,
                digits=digits,
                algorithm=algorithm,
            )
            is None
        )
