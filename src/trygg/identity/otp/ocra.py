"""OCRA, the OATH Challenge-Response Algorithm (RFC 6287), for personal security tokens.

A token and the bank share a secret key ``K``. For a challenge ``Q`` the token shows

    OCRA = HOTP-truncate(HMAC-H(K, DataInput), digits)
    DataInput = OCRASuite | 0x00 | [C] | Q | [P | S | T]

where the OCRA suite string (for instance ``OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1``) says which
hash H, how many digits, and which of the optional inputs take part:

* ``C``  -- an 8-byte big-endian counter, advanced by the token on every use;
* ``Q``  -- the challenge question(s), always 128 bytes: numeric challenges are converted to
  hexadecimal, hexadecimal ones are used as they are, alphanumeric ones as ASCII bytes, and
  the result is padded with zeros on the right;
* ``P``  -- the hash (SHA1/SHA256/SHA512) of the customer's PIN or password;
* ``S``  -- session information of 64, 128, 256 or 512 bytes;
* ``T``  -- an 8-byte big-endian number of time steps since the Unix epoch.

This module is pure (no Django) and written from the RFC's text and its Appendix C test
vectors. Where the text leaves room, the behaviour of the RFC's own reference code (which
produced those vectors) is followed; each such place is marked "RFC ambiguity" below.

Uses in this project:

* log-in: ``random_login_challenge()`` gives a fresh numeric challenge, the customer types it
  into the token, ``ocra_verify()`` checks the answer. The challenge must be single-use (stored
  server side, deleted at the first verification attempt): that is the replay protection of
  challenge-response.
* signing (PSD2 RTS art. 5, dynamic linking): ``signing_challenge()`` derives the challenge from
  the order's amount, payee and id, so a response is specific to that order; the server
  recomputes the challenge from the stored order when it verifies, never taking it from the
  browser.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Literal, cast

__all__ = [
    "MAX_COUNTER_WINDOW",
    "MAX_TIMESTAMP_WINDOW",
    "MIN_KEY_BYTES",
    "ChallengeFormat",
    "HashName",
    "OcraError",
    "OcraMatch",
    "OcraSuite",
    "is_fresh",
    "ocra_response",
    "ocra_verify",
    "parse_suite",
    "random_login_challenge",
    "signing_challenge",
]

HashName = Literal["SHA1", "SHA256", "SHA512"]
ChallengeFormat = Literal["A", "N", "H"]

# hashlib names and digest sizes of the three hashes OCRA knows.
_HASHLIB_NAME: Final[dict[str, str]] = {"SHA1": "sha1", "SHA256": "sha256", "SHA512": "sha512"}
_DIGEST_SIZE: Final[dict[str, int]] = {"SHA1": 20, "SHA256": 32, "SHA512": 64}

_SESSION_LENGTHS: Final = (64, 128, 256, 512)
# Time-step units and their ranges: [1-59]S, [1-59]M, [1-48]H.
_UNIT_SECONDS: Final[dict[str, int]] = {"S": 1, "M": 60, "H": 3600}
_UNIT_MAX: Final[dict[str, int]] = {"S": 59, "M": 59, "H": 48}

_Q_FIELD_BYTES: Final = 128  # Q is always 128 bytes in DataInput
_UINT64_LIMIT: Final = 1 << 64
# RFC 4226 (R6), which OCRA builds on: the shared secret is at least 128 bits.
MIN_KEY_BYTES: Final = 16
# Every extra candidate in a window adds 10^-digits to the chance that a guess passes; the
# caps keep a misconfiguration from turning verification into a lottery (or a CPU sink).
MAX_COUNTER_WINDOW: Final = 100
MAX_TIMESTAMP_WINDOW: Final = 10

_CRYPTO_RE: Final = re.compile(r"HOTP-(SHA1|SHA256|SHA512)-(0|[1-9][0-9]?)")
_Q_RE: Final = re.compile(r"Q([ANH])([0-9]{2})")
_P_RE: Final = re.compile(r"P(SHA1|SHA256|SHA512)")
_S_RE: Final = re.compile(r"S([0-9]{3})")
_T_RE: Final = re.compile(r"T([1-9][0-9]?)([SMH])")
_DECIMAL_RE: Final = re.compile(r"[0-9]+")
_HEX_RE: Final = re.compile(r"[0-9A-Fa-f]+")
_ALNUM_RE: Final = re.compile(r"[0-9A-Za-z]+")


class OcraError(ValueError):
    """A malformed OCRA suite, or inputs that do not fit the suite."""


# --------------------------------------------------------------------------------------------
# The suite
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OcraSuite:
    """One parsed OCRA suite (RFC 6287, section 6). ``str(suite)`` gives the suite string back.

    ``digits`` is 0 (no truncation: the response is the whole HMAC, in hexadecimal) or 4-10.
    ``challenge_length`` is the maximum length of one challenge question (04-64).
    ``timestep`` is the time-step size in seconds (``T1M`` is 60), or None without ``T``.
    """

    algorithm: HashName
    digits: int
    challenge_format: ChallengeFormat
    challenge_length: int
    counter: bool = False
    password_hash: HashName | None = None
    session_info_length: int | None = None
    timestep: int | None = None

    def __post_init__(self) -> None:
        # Objects built directly (not through parse) obey the same rules.
        if self.algorithm not in _HASHLIB_NAME:
            raise OcraError(f"CryptoFunction: unknown hash {self.algorithm!r}")
        if not _is_int(self.digits) or not (self.digits == 0 or 4 <= self.digits <= 10):
            raise OcraError(f"CryptoFunction: digits must be 0 or 4-10, not {self.digits!r}")
        if self.challenge_format not in ("A", "N", "H"):
            raise OcraError(f"DataInput Q: unknown challenge format {self.challenge_format!r}")
        if not _is_int(self.challenge_length) or not 4 <= self.challenge_length <= 64:
            raise OcraError(
                f"DataInput Q: challenge length must be 04-64, not {self.challenge_length!r}"
            )
        if not isinstance(self.counter, bool):
            raise OcraError("DataInput C: counter must be True or False")
        if self.password_hash is not None and self.password_hash not in _HASHLIB_NAME:
            raise OcraError(f"DataInput P: unknown hash {self.password_hash!r}")
        if self.session_info_length is not None and self.session_info_length not in (
            _SESSION_LENGTHS
        ):
            raise OcraError(
                f"DataInput S: length must be 064, 128, 256 or 512, "
                f"not {self.session_info_length!r}"
            )
        if self.timestep is not None and (
            not _is_int(self.timestep) or _timestep_text(self.timestep) is None
        ):
            raise OcraError(
                f"DataInput T: time step of {self.timestep!r} seconds cannot be written "
                "as [1-59]S, [1-59]M or [1-48]H"
            )

    @classmethod
    def parse(cls, text: str) -> OcraSuite:
        """Parse ``<Algorithm>:<CryptoFunction>:<DataInput>`` strictly (upper case, no spaces,
        no leading zeros in digits or time steps, DataInput parts in the order C, Q, P, S, T)."""
        return parse_suite(text)

    def __str__(self) -> str:
        crypto = f"HOTP-{self.algorithm}-{self.digits}"
        parts: list[str] = []
        if self.counter:
            parts.append("C")
        parts.append(f"Q{self.challenge_format}{self.challenge_length:02d}")
        if self.password_hash is not None:
            parts.append(f"P{self.password_hash}")
        if self.session_info_length is not None:
            parts.append(f"S{self.session_info_length:03d}")
        if self.timestep is not None:
            parts.append(f"T{_timestep_text(self.timestep)}")
        return f"OCRA-1:{crypto}:{'-'.join(parts)}"

    def time_step_at(self, unix_seconds: float) -> int:
        """The ``T`` value for a moment: whole time steps since 1970-01-01T00:00:00Z."""
        if self.timestep is None:
            raise OcraError(f"suite {self} has no timestamp (T) part")
        if unix_seconds < 0:
            raise OcraError("time before the Unix epoch")
        return int(unix_seconds // self.timestep)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _timestep_text(seconds: int) -> str | None:
    """The single way of writing a time step: 1-59 seconds as S, whole minutes below an hour
    as M, whole hours up to 48 as H. Other sizes have no suite string."""
    if 1 <= seconds <= _UNIT_MAX["S"]:
        return f"{seconds}S"
    if seconds % 3600 == 0 and 1 <= seconds // 3600 <= _UNIT_MAX["H"]:
        return f"{seconds // 3600}H"
    if seconds % 60 == 0 and 1 <= seconds // 60 <= _UNIT_MAX["M"]:
        return f"{seconds // 60}M"
    return None


def parse_suite(text: str) -> OcraSuite:
    """Parse an OCRA suite string; raise OcraError naming the part that is wrong."""
    if not isinstance(text, str):
        raise OcraError(f"an OCRA suite is a string, not {type(text).__name__}")

    def fail(part: str, problem: str) -> OcraError:
        return OcraError(f"invalid OCRA suite {text!r}: {part}: {problem}")

    pieces = text.split(":")
    if len(pieces) != 3:
        raise fail("structure", "expected <Algorithm>:<CryptoFunction>:<DataInput>")
    algorithm_text, crypto_text, data_text = pieces

    if algorithm_text != "OCRA-1":
        raise fail(f"Algorithm {algorithm_text!r}", "only version OCRA-1 is defined")

    crypto = _CRYPTO_RE.fullmatch(crypto_text)
    if crypto is None:
        raise fail(
            f"CryptoFunction {crypto_text!r}",
            "expected HOTP-<SHA1|SHA256|SHA512>-<digits>",
        )
    algorithm = cast(HashName, crypto.group(1))
    digits = int(crypto.group(2))
    if not (digits == 0 or 4 <= digits <= 10):
        raise fail(f"CryptoFunction {crypto_text!r}", "digits must be 0 or 4-10")

    items = data_text.split("-")
    if "" in items:
        raise fail(f"DataInput {data_text!r}", "empty part (stray '-')")
    position = 0
    counter = items[0] == "C"
    if counter:
        position = 1
    if position >= len(items):
        raise fail(f"DataInput {data_text!r}", "the challenge part QFxx is mandatory")
    q_text = items[position]
    question = _Q_RE.fullmatch(q_text)
    if question is None:
        raise fail(
            f"DataInput {q_text!r}",
            "expected the challenge part Q<A|N|H><04-64> (after an optional C)",
        )
    challenge_format = cast(ChallengeFormat, question.group(1))
    challenge_length = int(question.group(2))
    if not 4 <= challenge_length <= 64:
        raise fail(f"DataInput {q_text!r}", "challenge length must be 04-64")

    password_hash: HashName | None = None
    session_info_length: int | None = None
    timestep: int | None = None
    order = "PST"
    last_rank = -1
    for item in items[position + 1 :]:
        rank = order.find(item[0])
        if rank < 0:
            raise fail(
                f"DataInput {item!r}",
                "after Q only P<hash>, S<length> and T<step> may follow",
            )
        if rank <= last_rank:
            raise fail(f"DataInput {item!r}", "parts must appear once, in the order C, Q, P, S, T")
        last_rank = rank
        if item[0] == "P":
            p = _P_RE.fullmatch(item)
            if p is None:
                raise fail(f"DataInput {item!r}", "expected PSHA1, PSHA256 or PSHA512")
            password_hash = cast(HashName, p.group(1))
        elif item[0] == "S":
            s = _S_RE.fullmatch(item)
            if s is None or int(s.group(1)) not in _SESSION_LENGTHS:
                raise fail(f"DataInput {item!r}", "expected S064, S128, S256 or S512")
            session_info_length = int(s.group(1))
        else:
            t = _T_RE.fullmatch(item)
            if t is None:
                raise fail(
                    f"DataInput {item!r}",
                    "expected T<n><S|M|H> without leading zeros, e.g. T30S, T1M, T2H",
                )
            amount, unit = int(t.group(1)), t.group(2)
            if amount > _UNIT_MAX[unit]:
                raise fail(
                    f"DataInput {item!r}",
                    "time step must be 1-59 seconds, 1-59 minutes or 1-48 hours",
                )
            timestep = amount * _UNIT_SECONDS[unit]

    return OcraSuite(
        algorithm=algorithm,
        digits=digits,
        challenge_format=challenge_format,
        challenge_length=challenge_length,
        counter=counter,
        password_hash=password_hash,
        session_info_length=session_info_length,
        timestep=timestep,
    )


def _as_suite(suite: str | OcraSuite) -> OcraSuite:
    if isinstance(suite, OcraSuite):
        return suite
    return parse_suite(suite)


# --------------------------------------------------------------------------------------------
# DataInput
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _FixedInput:
    """The parts of DataInput that do not move inside a verification window."""

    prefix: bytes  # suite | 0x00
    question: bytes  # Q, 128 bytes
    tail: bytes  # P | S


def _question_field(suite: OcraSuite, challenge: str | tuple[str, ...]) -> bytes:
    """Q: the challenge question(s), 128 bytes.

    A tuple of two questions is the mutual mode (RFC 6287, section 7.3): the questions are
    concatenated (client's then server's for the server's response, and the other way round
    for the client's), each one within the suite's maximum length.

    RFC ambiguity: the text says only that Q is padded with zeros on the right. The reference
    code writes a numeric challenge as the hexadecimal digits of its value (no leading zero
    nibble) and pads with zero *nibbles* on the right, and the Appendix C vectors depend on
    it: 22222222 = 0x153158E becomes the bytes 15 31 58 E0. The consequence is that n and
    16·n (any n·16^k) give the same Q, e.g. "0002" and "0032"; our challenge generators avoid
    multiples of 16 so that their challenges never collide this way. Hexadecimal challenges
    are likewise left-aligned nibbles (so their case does not matter); alphanumeric ones are
    their ASCII bytes padded with zero bytes.
    """
    if isinstance(challenge, str):
        questions: tuple[str, ...] = (challenge,)
    elif isinstance(challenge, tuple) and all(isinstance(q, str) for q in challenge):
        questions = challenge
    else:
        raise OcraError("the challenge is a string, or a tuple of two strings (mutual mode)")
    if not 1 <= len(questions) <= 2:
        raise OcraError("at most two challenge questions (client's and server's) make up Q")

    pattern = {"N": _DECIMAL_RE, "H": _HEX_RE, "A": _ALNUM_RE}[suite.challenge_format]
    kind = {"N": "decimal digits", "H": "hexadecimal digits", "A": "ASCII letters and digits"}
    for question in questions:
        if pattern.fullmatch(question) is None:
            raise OcraError(
                f"challenge {question!r} does not fit Q{suite.challenge_format}"
                f"{suite.challenge_length:02d}: it must be {kind[suite.challenge_format]}"
            )
        # Policy: at least 4 characters, the lower bound of the suite's length (04-64).
        if not 4 <= len(question) <= suite.challenge_length:
            raise OcraError(
                f"challenge {question!r} has {len(question)} characters; "
                f"Q{suite.challenge_format}{suite.challenge_length:02d} takes "
                f"4-{suite.challenge_length}"
            )
    joined = "".join(questions)

    # Two questions of at most 64 characters always fit the 128 bytes: 128 ASCII bytes,
    # 128 hex nibbles, or a number below 10^128 (fewer than 108 nibbles).
    if suite.challenge_format == "A":
        return joined.encode("ascii").ljust(_Q_FIELD_BYTES, b"\x00")
    nibbles = format(int(joined), "x") if suite.challenge_format == "N" else joined.lower()
    return bytes.fromhex(nibbles.ljust(2 * _Q_FIELD_BYTES, "0"))


def _password_field(suite: OcraSuite, password: str | bytes | None) -> bytes:
    """P: the PIN's hash. A ``str`` is the PIN itself (hashed here, UTF-8); ``bytes`` is the
    hash already computed (a server need not keep the PIN), and must have the digest's size."""
    if suite.password_hash is None:
        if password is not None:
            raise OcraError(f"suite {suite} has no P part: do not pass a password")
        return b""
    if password is None:
        raise OcraError(f"suite {suite} needs the password (P{suite.password_hash})")
    size = _DIGEST_SIZE[suite.password_hash]
    if isinstance(password, str):
        if not password:
            raise OcraError("the password must not be empty")
        return hashlib.new(_HASHLIB_NAME[suite.password_hash], password.encode("utf-8")).digest()
    if isinstance(password, bytes | bytearray):
        if len(password) != size:
            raise OcraError(
                f"a password given as bytes is its P{suite.password_hash} hash of {size} bytes, "
                f"not {len(password)} bytes (pass the PIN itself as a str)"
            )
        return bytes(password)
    raise OcraError("the password is a str (the PIN) or bytes (its hash)")


def _session_field(suite: OcraSuite, session_info: bytes | None) -> bytes:
    """S: session information of the suite's length.

    RFC ambiguity: the text does not say how shorter session information is padded. The
    reference code pads it with zeros on the left, which is done here; longer is refused.
    """
    if suite.session_info_length is None:
        if session_info is not None:
            raise OcraError(f"suite {suite} has no S part: do not pass session information")
        return b""
    if not isinstance(session_info, bytes | bytearray):
        raise OcraError(
            f"suite {suite} needs session information (bytes, S{suite.session_info_length:03d})"
        )
    if len(session_info) > suite.session_info_length:
        raise OcraError(
            f"session information of {len(session_info)} bytes is longer than "
            f"S{suite.session_info_length:03d}"
        )
    return bytes(session_info).rjust(suite.session_info_length, b"\x00")


def _check_uint64(name: str, value: object) -> int:
    if not _is_int(value):
        raise OcraError(f"the {name} is an int")
    number = cast(int, value)
    if not 0 <= number < _UINT64_LIMIT:
        raise OcraError(f"the {name} must be an unsigned 64-bit value")
    return number


def _check_key(key: object) -> bytes:
    if not isinstance(key, bytes | bytearray):
        raise OcraError("the key is bytes")
    if len(key) < MIN_KEY_BYTES:
        raise OcraError(f"the key must be at least {MIN_KEY_BYTES} bytes (RFC 4226)")
    return bytes(key)


def _fixed_input(
    suite: OcraSuite,
    challenge: str | tuple[str, ...],
    password: str | bytes | None,
    session_info: bytes | None,
) -> _FixedInput:
    return _FixedInput(
        prefix=str(suite).encode("ascii") + b"\x00",
        question=_question_field(suite, challenge),
        tail=_password_field(suite, password) + _session_field(suite, session_info),
    )


def _compute(
    suite: OcraSuite, key: bytes, fixed: _FixedInput, counter: int | None, timestamp: int | None
) -> str:
    message = b"".join(
        (
            fixed.prefix,
            b"" if counter is None else counter.to_bytes(8, "big"),
            fixed.question,
            fixed.tail,
            b"" if timestamp is None else timestamp.to_bytes(8, "big"),
        )
    )
    mac = hmac.digest(key, message, _HASHLIB_NAME[suite.algorithm])
    if suite.digits == 0:
        # RFC ambiguity: "0 = no truncation" does not say how the full HMAC is shown;
        # we give it in lower-case hexadecimal.
        return mac.hex()
    # Dynamic truncation (RFC 4226, section 5.3).
    offset = mac[-1] & 0x0F
    binary = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFF_FFFF
    return str(binary % 10**suite.digits).zfill(suite.digits)


# --------------------------------------------------------------------------------------------
# Response and verification
# --------------------------------------------------------------------------------------------


def ocra_response(
    suite: str | OcraSuite,
    key: bytes,
    *,
    challenge: str | tuple[str, ...],
    counter: int | None = None,
    password: str | bytes | None = None,
    session_info: bytes | None = None,
    timestamp: int | None = None,
) -> str:
    """The OCRA value the token shows, as a string of ``digits`` decimal digits (or the HMAC in
    hexadecimal for ``HOTP-...-0``).

    Exactly the inputs the suite names must be given, and no others (an input the suite does
    not cover is refused rather than silently ignored):
    ``counter`` for C; ``password`` for P (the PIN as ``str``, or its hash as ``bytes``);
    ``session_info`` for S; ``timestamp`` for T, as the number of time steps (the RFC's T;
    see ``OcraSuite.time_step_at``). ``challenge`` is one question, or a tuple of two in
    mutual mode.
    """
    the_suite = _as_suite(suite)
    checked_key = _check_key(key)
    fixed = _fixed_input(the_suite, challenge, password, session_info)
    return _compute(
        the_suite,
        checked_key,
        fixed,
        _counter_input(the_suite, counter),
        _timestamp_input(the_suite, timestamp),
    )


def _counter_input(suite: OcraSuite, counter: int | None) -> int | None:
    if not suite.counter:
        if counter is not None:
            raise OcraError(f"suite {suite} has no C part: do not pass a counter")
        return None
    if counter is None:
        raise OcraError(f"suite {suite} needs the counter (C)")
    return _check_uint64("counter", counter)


def _timestamp_input(suite: OcraSuite, timestamp: int | None) -> int | None:
    if suite.timestep is None:
        if timestamp is not None:
            raise OcraError(f"suite {suite} has no T part: do not pass a timestamp")
        return None
    if timestamp is None:
        raise OcraError(f"suite {suite} needs the timestamp (T, in time steps)")
    return _check_uint64("timestamp", timestamp)


@dataclass(frozen=True)
class OcraMatch:
    """What an accepted response matched: the counter (C suites) and the time step (T
    suites). Store them as the new ``last_accepted_*`` so they are not accepted again."""

    counter: int | None
    timestamp: int | None


def is_fresh(value: int, last_accepted: int | None) -> bool:
    """Replay rule for counters and time steps: only values above the last accepted one."""
    return last_accepted is None or value > last_accepted


def _counters(first: int | None, window: int, last_accepted: int | None) -> list[int | None]:
    if first is None:
        return [None]
    return [
        c
        for c in range(first, first + window + 1)
        if c < _UINT64_LIMIT and is_fresh(c, last_accepted)
    ]


def _timestamps(centre: int | None, window: int, last_accepted: int | None) -> list[int | None]:
    if centre is None:
        return [None]

    def nearest_first() -> Iterator[int]:
        yield centre
        for distance in range(1, window + 1):
            yield centre - distance
            yield centre + distance

    return [t for t in nearest_first() if 0 <= t < _UINT64_LIMIT and is_fresh(t, last_accepted)]


def _check_window(name: str, value: object, maximum: int) -> int:
    if not _is_int(value) or not 0 <= cast(int, value) <= maximum:
        raise OcraError(f"the {name} must be an int from 0 to {maximum}")
    return cast(int, value)


def _well_formed(suite: OcraSuite, response: object) -> str | None:
    if not isinstance(response, str):
        return None
    if suite.digits == 0:
        size = 2 * _DIGEST_SIZE[suite.algorithm]
        if len(response) == size and _HEX_RE.fullmatch(response):
            return response.lower()
        return None
    if len(response) == suite.digits and _DECIMAL_RE.fullmatch(response):
        return response
    return None


def ocra_verify(
    suite: str | OcraSuite,
    key: bytes,
    response: str,
    *,
    challenge: str | tuple[str, ...],
    counter: int | None = None,
    password: str | bytes | None = None,
    session_info: bytes | None = None,
    timestamp: int | None = None,
    counter_window: int = 0,
    timestamp_window: int = 0,
    last_accepted_counter: int | None = None,
    last_accepted_timestamp: int | None = None,
) -> OcraMatch | None:
    """Check a response; return what it matched, or None.

    * C suites: ``counter`` is the next expected counter (last accepted + 1); a token that
      has been used without reaching the bank is ahead, so the counters ``counter`` ..
      ``counter + counter_window`` (look-ahead) are tried.
    * T suites: ``timestamp`` is the bank's current time step; the steps within
      ``± timestamp_window`` are tried, nearest first.
    * Replays: counters not above ``last_accepted_counter`` and time steps not above
      ``last_accepted_timestamp`` are never accepted (``is_fresh``). The caller stores the
      returned ``OcraMatch`` values as the new last accepted ones, in the same transaction
      that accepts the log-in or signature.

    Every candidate is computed and compared in constant time (``hmac.compare_digest``),
    without stopping at the first match. A response that is not a string of the suite's
    digits gives None; inputs that do not fit the suite raise OcraError, as for
    ``ocra_response``.
    """
    the_suite = _as_suite(suite)
    checked_key = _check_key(key)
    fixed = _fixed_input(the_suite, challenge, password, session_info)
    first_counter = _counter_input(the_suite, counter)
    now_step = _timestamp_input(the_suite, timestamp)
    c_window = _check_window("counter window", counter_window, MAX_COUNTER_WINDOW)
    t_window = _check_window("timestamp window", timestamp_window, MAX_TIMESTAMP_WINDOW)
    if not the_suite.counter and (c_window or last_accepted_counter is not None):
        raise OcraError(f"suite {the_suite} has no C part: no counter window or last counter")
    if the_suite.timestep is None and (t_window or last_accepted_timestamp is not None):
        raise OcraError(f"suite {the_suite} has no T part: no timestamp window or last step")

    given = _well_formed(the_suite, response)
    if given is None:
        return None
    given_bytes = given.encode("ascii")

    found: OcraMatch | None = None
    for c in _counters(first_counter, c_window, last_accepted_counter):
        for t in _timestamps(now_step, t_window, last_accepted_timestamp):
            expected = _compute(the_suite, checked_key, fixed, c, t).encode("ascii")
            if hmac.compare_digest(expected, given_bytes) and found is None:
                found = OcraMatch(counter=c, timestamp=t)
    return found


# --------------------------------------------------------------------------------------------
# Challenges
# --------------------------------------------------------------------------------------------

# Numeric challenges are drawn from the L-digit numbers that are not multiples of 16, so that
# no two of them share a Q field (see _question_field). For L >= 4, 16 divides 10^L, so there
# are exactly 15/16 · 10^L of them; the i-th (from 0) is 16·(i // 15) + i % 15 + 1.


def _check_challenge_length(length: object) -> int:
    if not _is_int(length) or not 4 <= cast(int, length) <= 64:
        raise OcraError(f"a numeric challenge has 4-64 digits, not {length!r}")
    return cast(int, length)


def _numeric_challenge_count(length: int) -> int:
    scale: int = 10**length
    return scale // 16 * 15


def _numeric_challenge(index: int, length: int) -> str:
    value = 16 * (index // 15) + index % 15 + 1
    return str(value).zfill(length)


def random_login_challenge(length: int = 8) -> str:
    """A fresh, uniformly random numeric challenge of ``length`` digits (for ``QNxx`` suites
    with xx >= length), from ``secrets``. Store it server side and accept it only once."""
    digits = _check_challenge_length(length)
    return _numeric_challenge(secrets.randbelow(_numeric_challenge_count(digits)), digits)


_SIGNING_DOMAIN: Final = b"trygg/ocra/signing-challenge/v1\x00"


def _field(data: bytes) -> bytes:
    return len(data).to_bytes(8, "big") + data


def signing_challenge(*, amount_minor: int, payee: str, order_id: str, max_length: int = 8) -> str:
    """The numeric challenge for signing one order (dynamic linking, PSD2 RTS art. 5).

    Derivation (deterministic, keyless):

        digest = SHA-256("trygg/ocra/signing-challenge/v1" 0x00
                         | len | amount_minor in decimal
                         | len | payee, NFC-normalised, UTF-8
                         | len | order_id, UTF-8)          (len: 8-byte big-endian)
        challenge = the (digest mod m)-th of the m = 15/16 · 10^L numbers of L = max_length
                    digits that are not multiples of 16, written with L digits.

    The fields are length-prefixed, so no two different orders encode the same way. The same
    order always gives the same challenge. Two different orders (a different amount, payee
    or order id) share a challenge with probability 1/m = 16/(15 · 10^L): about 1.07e-8 for
    8 digits (1.07e-6 for 6); among n orders of one customer some pair collides with
    probability about n²/(2m). The bias of the reduction mod m is below 10^L / 2^256.
    Multiples of 16 are left out because the RFC's numeric encoding cannot tell n from 16·n;
    had they been kept, the per-pair probability for 8 digits would be 1.13e-8, and every
    challenge c < 6 250 000 would share its response with the challenge 16·c.

    Pass the payee in one canonical form (e.g. the bankgiro or IBAN without spaces) and the
    amount in minor units (öre) of the order's currency. Since the derivation has no key,
    anybody who knows an order's data can compute its challenge; that is harmless, because
    the response needs the token's key. ``order_id`` should be assigned by the bank and be
    unpredictable, so that nobody can search offline for another order of their choosing
    that lands on the same challenge as a victim's pending order.
    """
    if not _is_int(amount_minor) or amount_minor < 0:
        raise OcraError("amount_minor is a non-negative int (minor units, e.g. öre)")
    if not isinstance(payee, str) or not payee:
        raise OcraError("payee is a non-empty string")
    if not isinstance(order_id, str) or not order_id:
        raise OcraError("order_id is a non-empty string")
    length = _check_challenge_length(max_length)
    digest = hashlib.sha256(
        _SIGNING_DOMAIN
        + _field(str(amount_minor).encode("ascii"))
        + _field(unicodedata.normalize("NFC", payee).encode("utf-8"))
        + _field(order_id.encode("utf-8"))
    ).digest()
    index = int.from_bytes(digest, "big") % _numeric_challenge_count(length)
    return _numeric_challenge(index, length)
