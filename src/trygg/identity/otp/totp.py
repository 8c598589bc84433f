"""TOTP (RFC 6238) for the customer's security token: thin, typed wrappers over pyotp.

pyotp computes the HOTP value (RFC 4226: HMAC, dynamic truncation) for a time-step counter;
this module adds what a bank needs around it: explicit time (no hidden clock), time-zone
safe datetimes, and a verification that returns the matched time step so that a code, once
accepted, is never accepted again (the caller stores the step; see ``totp_verify``).

pyotp supports everything the RFC 6238 vectors need (SHA1/SHA256/SHA512, 8 digits), so no
HMAC is computed here. It also enforces, and so does this module: 6-10 digits, a time step
of 1-120 seconds and a secret of at least 112 bits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import re
from collections.abc import Callable
from typing import Final, Literal

import pyotp

__all__ = ["MAX_TOTP_WINDOW", "TotpAlgorithm", "TotpError", "totp_now", "totp_step", "totp_verify"]

TotpAlgorithm = Literal["sha1", "sha256", "sha512"]

_DIGESTS: Final[dict[str, Callable[..., object]]] = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "sha512": hashlib.sha512,
}
# Each step of the window adds 2 · 10^-digits to the chance that a guess passes.
MAX_TOTP_WINDOW: Final = 10
_CODE_RE: Final = re.compile(r"[0-9]+")

Moment = int | float | dt.datetime


class TotpError(ValueError):
    """Bad parameters: secret, digits, step, algorithm, window or time."""


def _unix_seconds(at: Moment) -> float:
    if isinstance(at, dt.datetime):
        if at.tzinfo is None or at.utcoffset() is None:
            # pyotp would read a naive datetime as local time; a bank's server must not guess.
            raise TotpError("a datetime must carry its time zone (e.g. UTC)")
        return at.timestamp()
    if isinstance(at, bool) or not isinstance(at, int | float):
        raise TotpError("the time is Unix seconds (int or float) or an aware datetime")
    if isinstance(at, float) and not math.isfinite(at):
        raise TotpError("the time must be finite")
    return at


def totp_step(at: Moment, *, step: int = 30) -> int:
    """The RFC 6238 counter T = floor((unix time - T0) / step), with T0 = 0."""
    if isinstance(step, bool) or not isinstance(step, int) or not 1 <= step <= 120:
        raise TotpError("the time step is 1-120 seconds")
    seconds = _unix_seconds(at)
    if seconds < 0:
        raise TotpError("time before the Unix epoch")
    return int(seconds // step)


def _totp(secret_b32: str, *, digits: int, step: int, algorithm: TotpAlgorithm) -> pyotp.TOTP:
    if algorithm not in _DIGESTS:
        raise TotpError(f"the algorithm is sha1, sha256 or sha512, not {algorithm!r}")
    if isinstance(digits, bool) or not isinstance(digits, int) or not 6 <= digits <= 10:
        raise TotpError("a TOTP code has 6-10 digits")
    if not isinstance(secret_b32, str) or not secret_b32:
        raise TotpError("the secret is a non-empty base32 string")
    try:
        return pyotp.TOTP(secret_b32, digits=digits, digest=_DIGESTS[algorithm], interval=step)
    except ValueError as error:  # includes binascii.Error for bad base32
        raise TotpError(f"unusable TOTP secret: {error}") from error


def totp_now(
    secret_b32: str,
    *,
    at: Moment,
    digits: int = 6,
    step: int = 30,
    algorithm: TotpAlgorithm = "sha1",
) -> str:
    """The code the token shows at the moment ``at``."""
    counter = totp_step(at, step=step)
    return _totp(secret_b32, digits=digits, step=step, algorithm=algorithm).generate_otp(counter)


def totp_verify(
    secret_b32: str,
    code: str,
    *,
    at: Moment,
    window: int = 1,
    last_accepted_step: int | None,
    digits: int = 6,
    step: int = 30,
    algorithm: TotpAlgorithm = "sha1",
) -> int | None:
    """Check ``code`` at the moment ``at``; return the matched time step, or None.

    The steps within ``± window`` of the current one are tried (clock drift, typing time).
    A step not above ``last_accepted_step`` is never accepted: a code, once used, cannot be
    replayed, and no older code either. The caller must store the returned step as the new
    ``last_accepted_step`` in the same transaction that accepts the log-in. All candidates
    are computed and compared in constant time; a code that is not ``digits`` decimal
    digits gives None.
    """
    if (
        isinstance(window, bool)
        or not isinstance(window, int)
        or not 0 <= window <= MAX_TOTP_WINDOW
    ):
        raise TotpError(f"the window is an int from 0 to {MAX_TOTP_WINDOW}")
    if last_accepted_step is not None and (
        isinstance(last_accepted_step, bool) or not isinstance(last_accepted_step, int)
    ):
        raise TotpError("last_accepted_step is an int or None")
    totp = _totp(secret_b32, digits=digits, step=step, algorithm=algorithm)
    current = totp_step(at, step=step)
    if not isinstance(code, str) or len(code) != digits or _CODE_RE.fullmatch(code) is None:
        return None
    given = code.encode("ascii")

    candidates = [current]
    for distance in range(1, window + 1):
        candidates += [current - distance, current + distance]
    found: int | None = None
    for candidate in candidates:
        if candidate < 0 or not (last_accepted_step is None or candidate > last_accepted_step):
            continue
        expected = totp.generate_otp(candidate).encode("ascii")
        if hmac.compare_digest(expected, given) and found is None:
            found = candidate
    return found
