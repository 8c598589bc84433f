"""OCRA (RFC 6287): the RFC's Appendix C vectors, suite parsing, verification windows and
replays, challenges for log-in and signing, and properties. Pure: no database."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sized
from typing import NotRequired, TypedDict

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from trygg.identity.otp.ocra import (
    MAX_COUNTER_WINDOW,
    ChallengeFormat,
    HashName,
    OcraError,
    OcraMatch,
    OcraSuite,
    is_fresh,
    ocra_response,
    ocra_verify,
    parse_suite,
    random_login_challenge,
    signing_challenge,
)

# The RFC's keys (Appendix C): the ASCII digits "1234567890" repeated to 20, 32 and 64 bytes.
KEY20 = bytes.fromhex("3132333435363738393031323334353637383930")
KEY32 = bytes.fromhex("3132333435363738393031323334353637383930313233343536373839303132")
KEY64 = bytes.fromhex(
    "3132333435363738393031323334353637383930313233343536373839303132"
    "3334353637383930313233343536373839303132333435363738393031323334"
)
PIN = "1234"
PIN_SHA1 = bytes.fromhex("7110eda4d09e062aa5e4a390b0a572ac0d2c0220")  # SHA-1("1234")
# "Mar 25 2008, 12:06:30 GMT" in minutes: the T of the RFC's time-based vectors.
T_RFC = 0x132D0B6

# --- C.1 One-way challenge-response -----------------------------------------------------

# OCRA-1:HOTP-SHA1-6:QN08, standard 20-byte key: (Q, OCRA)
C1_SHA1_QN08 = [
    ("00000000", "237653"),
    ("11111111", "243178"),
    ("22222222", "653583"),
    ("33333333", "740991"),
    ("44444444", "608993"),
    ("55555555", "388898"),
    ("66666666", "816933"),
    ("77777777", "224598"),
    ("88888888", "750600"),
    ("99999999", "294470"),
]

# OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1, standard 32-byte key, Q 12345678, PIN 1234: (C, OCRA)
C1_SHA256_C_QN08_PSHA1 = [
    (0, "65347737"),
    (1, "86775851"),
    (2, "78192410"),
    (3, "71565254"),
    (4, "10104329"),
    (5, "65983500"),
    (6, "70069104"),
    (7, "91771096"),
    (8, "75011558"),
    (9, "08522129"),
]

# OCRA-1:HOTP-SHA256-8:QN08-PSHA1, standard 32-byte key, PIN 1234: (Q, OCRA)
C1_SHA256_QN08_PSHA1 = [
    ("00000000", "83238735"),
    ("11111111", "01501458"),
    ("22222222", "17957585"),
    ("33333333", "86776967"),
    ("44444444", "86807031"),
]

# OCRA-1:HOTP-SHA512-8:C-QN08, standard 64-byte key: (C, Q, OCRA)
C1_SHA512_C_QN08 = [
    (0, "00000000", "07016083"),
    (1, "11111111", "63947962"),
    (2, "22222222", "70123924"),
    (3, "33333333", "25341727"),
    (4, "44444444", "33203315"),
    (5, "55555555", "34205738"),
    (6, "66666666", "44343969"),
    (7, "77777777", "51946085"),
    (8, "88888888", "20403879"),
    (9, "99999999", "31409299"),
]

# OCRA-1:HOTP-SHA512-8:QN08-T1M, standard 64-byte key, T 132d0b6: (Q, OCRA)
C1_SHA512_QN08_T1M = [
    ("00000000", "95209754"),
    ("11111111", "55907591"),
    ("22222222", "22048402"),
    ("33333333", "24218844"),
    ("44444444", "36209546"),
]

# --- C.2 Mutual challenge-response --------------------------------------------------------
# Q is the client's question followed by the server's (server's response) or the other way
# round (client's response). (first question, second question, OCRA)

# Server: OCRA-1:HOTP-SHA256-8:QA08, standard 32-byte key
C2_SHA256_SERVER = [
    ("CLI22220", "SRV11110", "28247970"),
    ("CLI22221", "SRV11111", "01984843"),
    ("CLI22222", "SRV11112", "65387857"),
    ("CLI22223", "SRV11113", "03351211"),
    ("CLI22224", "SRV11114", "83412541"),
]

# Client: OCRA-1:HOTP-SHA256-8:QA08, standard 32-byte key
C2_SHA256_CLIENT = [
    ("SRV11110", "CLI22220", "15510767"),
    ("SRV11111", "CLI22221", "90175646"),
    ("SRV11112", "CLI22222", "33777207"),
    ("SRV11113", "CLI22223", "95285278"),
    ("SRV11114", "CLI22224", "28934924"),
]

# Server: OCRA-1:HOTP-SHA512-8:QA08, standard 64-byte key
C2_SHA512_SERVER = [
    ("CLI22220", "SRV11110", "79496648"),
    ("CLI22221", "SRV11111", "76831980"),
    ("CLI22222", "SRV11112", "12250499"),
    ("CLI22223", "SRV11113", "90856481"),
    ("CLI22224", "SRV11114", "12761449"),
]

# Client: OCRA-1:HOTP-SHA512-8:QA08-PSHA1, standard 64-byte key, PIN 1234
C2_SHA512_CLIENT_PSHA1 = [
    ("SRV11110", "CLI22220", "18806276"),
    ("SRV11111", "CLI22221", "70020315"),
    ("SRV11112", "CLI22222", "01600026"),
    ("SRV11113", "CLI22223", "18951020"),
    ("SRV11114", "CLI22224", "32528969"),
]

# --- C.3 Plain signature ------------------------------------------------------------------

# OCRA-1:HOTP-SHA256-8:QA08, standard 32-byte key: (Q, OCRA)
C3_SHA256_QA08 = [
    ("SIG10000", "53095496"),
    ("SIG11000", "04110475"),
    ("SIG12000", "31331128"),
    ("SIG13000", "76028668"),
    ("SIG14000", "46554205"),
]

# OCRA-1:HOTP-SHA512-8:QA10-T1M, standard 64-byte key, T 132d0b6: (Q, OCRA)
C3_SHA512_QA10_T1M = [
    ("SIG1000000", "77537423"),
    ("SIG1100000", "31970405"),
    ("SIG1200000", "10235557"),
    ("SIG1300000", "95213541"),
    ("SIG1400000", "65360607"),
]


def test_the_rfc_tables_are_complete() -> None:
    tables: list[Sized] = [
        C1_SHA1_QN08,
        C1_SHA256_C_QN08_PSHA1,
        C1_SHA256_QN08_PSHA1,
        C1_SHA512_C_QN08,
        C1_SHA512_QN08_T1M,
        C2_SHA256_SERVER,
        C2_SHA256_CLIENT,
        C2_SHA512_SERVER,
        C2_SHA512_CLIENT_PSHA1,
        C3_SHA256_QA08,
        C3_SHA512_QA10_T1M,
    ]
    assert [len(t) for t in tables] == [10, 10, 5, 10, 5, 5, 5, 5, 5, 5, 5]


def test_the_rfc_keys_and_pin_hash() -> None:
    assert KEY20 == b"12345678901234567890"
    assert KEY32 == b"12345678901234567890123456789012"
    assert KEY64 == b"1234567890" * 6 + b"1234"
    assert hashlib.sha1(PIN.encode()).digest() == PIN_SHA1  # noqa: S324 - the RFC's P


def test_the_rfc_time_is_minutes_since_the_epoch() -> None:
    moment = dt.datetime(2008, 3, 25, 12, 6, 30, tzinfo=dt.UTC)
    suite = parse_suite("OCRA-1:HOTP-SHA512-8:QN08-T1M")
    assert suite.time_step_at(moment.timestamp()) == T_RFC


@pytest.mark.parametrize(("question", "expected"), C1_SHA1_QN08)
def test_c1_sha1_qn08(question: str, expected: str) -> None:
    suite = "OCRA-1:HOTP-SHA1-6:QN08"
    assert ocra_response(suite, KEY20, challenge=question) == expected
    assert ocra_verify(suite, KEY20, expected, challenge=question) == OcraMatch(None, None)


@pytest.mark.parametrize(("counter", "expected"), C1_SHA256_C_QN08_PSHA1)
@pytest.mark.parametrize("password", [PIN, PIN_SHA1], ids=["pin", "pin-hash"])
def test_c1_sha256_counter_pin(counter: int, expected: str, password: str | bytes) -> None:
    suite = "OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1"
    response = ocra_response(suite, KEY32, challenge="12345678", counter=counter, password=password)
    assert response == expected
    match = ocra_verify(
        suite, KEY32, expected, challenge="12345678", counter=counter, password=password
    )
    assert match == OcraMatch(counter=counter, timestamp=None)


@pytest.mark.parametrize(("question", "expected"), C1_SHA256_QN08_PSHA1)
def test_c1_sha256_pin(question: str, expected: str) -> None:
    suite = "OCRA-1:HOTP-SHA256-8:QN08-PSHA1"
    assert ocra_response(suite, KEY32, challenge=question, password=PIN) == expected
    assert ocra_response(suite, KEY32, challenge=question, password=PIN_SHA1) == expected


@pytest.mark.parametrize(("counter", "question", "expected"), C1_SHA512_C_QN08)
def test_c1_sha512_counter(counter: int, question: str, expected: str) -> None:
    suite = "OCRA-1:HOTP-SHA512-8:C-QN08"
    assert ocra_response(suite, KEY64, challenge=question, counter=counter) == expected


@pytest.mark.parametrize(("question", "expected"), C1_SHA512_QN08_T1M)
def test_c1_sha512_timestamp(question: str, expected: str) -> None:
    suite = "OCRA-1:HOTP-SHA512-8:QN08-T1M"
    assert ocra_response(suite, KEY64, challenge=question, timestamp=T_RFC) == expected
    match = ocra_verify(suite, KEY64, expected, challenge=question, timestamp=T_RFC)
    assert match == OcraMatch(counter=None, timestamp=T_RFC)


@pytest.mark.parametrize(("first", "second", "expected"), C2_SHA256_SERVER)
def test_c2_sha256_server(first: str, second: str, expected: str) -> None:
    suite = "OCRA-1:HOTP-SHA256-8:QA08"
    assert ocra_response(suite, KEY32, challenge=(first, second)) == expected


@pytest.mark.parametrize(("first", "second", "expected"), C2_SHA256_CLIENT)
def test_c2_sha256_client(first: str, second: str, expected: str) -> None:
    suite = "OCRA-1:HOTP-SHA256-8:QA08"
    assert ocra_response(suite, KEY32, challenge=(first, second)) == expected


@pytest.mark.parametrize(("first", "second", "expected"), C2_SHA512_SERVER)
def test_c2_sha512_server(first: str, second: str, expected: str) -> None:
    suite = "OCRA-1:HOTP-SHA512-8:QA08"
    assert ocra_response(suite, KEY64, challenge=(first, second)) == expected


@pytest.mark.parametrize(("first", "second", "expected"), C2_SHA512_CLIENT_PSHA1)
def test_c2_sha512_client_pin(first: str, second: str, expected: str) -> None:
    suite = "OCRA-1:HOTP-SHA512-8:QA08-PSHA1"
    assert ocra_response(suite, KEY64, challenge=(first, second), password=PIN) == expected
    match = ocra_verify(suite, KEY64, expected, challenge=(first, second), password=PIN)
    assert match is not None


def test_c2_one_question_may_not_exceed_the_suites_length() -> None:
    """QA08 bounds each question; the mutual Q of 16 characters is passed as two."""
    with pytest.raises(OcraError, match="has 16 characters"):
        ocra_response("OCRA-1:HOTP-SHA256-8:QA08", KEY32, challenge="CLI22220SRV11110")
    with pytest.raises(OcraError, match="at most two"):
        ocra_response("OCRA-1:HOTP-SHA256-8:QA08", KEY32, challenge=("AAAA", "BBBB", "CCCC"))


@pytest.mark.parametrize(("question", "expected"), C3_SHA256_QA08)
def test_c3_plain_signature(question: str, expected: str) -> None:
    suite = "OCRA-1:HOTP-SHA256-8:QA08"
    assert ocra_response(suite, KEY32, challenge=question) == expected


@pytest.mark.parametrize(("question", "expected"), C3_SHA512_QA10_T1M)
def test_c3_signature_with_timestamp(question: str, expected: str) -> None:
    suite = "OCRA-1:HOTP-SHA512-8:QA10-T1M"
    assert ocra_response(suite, KEY64, challenge=question, timestamp=T_RFC) == expected


# --- Suites ---------------------------------------------------------------------------------


def test_parse_a_full_suite() -> None:
    suite = parse_suite("OCRA-1:HOTP-SHA512-10:C-QH64-PSHA256-S512-T2H")
    assert suite == OcraSuite(
        algorithm="SHA512",
        digits=10,
        challenge_format="H",
        challenge_length=64,
        counter=True,
        password_hash="SHA256",
        session_info_length=512,
        timestep=7200,
    )
    assert str(suite) == "OCRA-1:HOTP-SHA512-10:C-QH64-PSHA256-S512-T2H"
    assert OcraSuite.parse("OCRA-1:HOTP-SHA1-6:QN08-T30S").timestep == 30


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("OCRA-1:HOTP-SHA1-6", "structure"),
        ("OCRA-1:HOTP-SHA1-6:QN08:", "structure"),
        ("OCRA-2:HOTP-SHA1-6:QN08", "Algorithm 'OCRA-2'"),
        ("ocra-1:HOTP-SHA1-6:QN08", "Algorithm 'ocra-1'"),
        ("OCRA-1:HOTP-MD5-6:QN08", "CryptoFunction 'HOTP-MD5-6'"),
        ("OCRA-1:HOTP-SHA1-3:QN08", "CryptoFunction 'HOTP-SHA1-3'"),
        ("OCRA-1:HOTP-SHA1-11:QN08", "CryptoFunction 'HOTP-SHA1-11'"),
        ("OCRA-1:HOTP-SHA1-06:QN08", "CryptoFunction 'HOTP-SHA1-06'"),
        ("OCRA-1:TOTP-SHA1-6:QN08", "CryptoFunction 'TOTP-SHA1-6'"),
        ("OCRA-1:HOTP-SHA1-6:QN03", "DataInput 'QN03'"),
        ("OCRA-1:HOTP-SHA1-6:QN65", "DataInput 'QN65'"),
        ("OCRA-1:HOTP-SHA1-6:QX08", "DataInput 'QX08'"),
        ("OCRA-1:HOTP-SHA1-6:QN8", "DataInput 'QN8'"),
        ("OCRA-1:HOTP-SHA1-6:C", "DataInput 'C'"),
        ("OCRA-1:HOTP-SHA1-6:PSHA1-QN08", "DataInput 'PSHA1'"),
        ("OCRA-1:HOTP-SHA1-6:QN08-C", "DataInput 'C'"),
        ("OCRA-1:HOTP-SHA1-6:QN08-PMD5", "DataInput 'PMD5'"),
        ("OCRA-1:HOTP-SHA1-6:QN08-S100", "DataInput 'S100'"),
        ("OCRA-1:HOTP-SHA1-6:QN08-S64", "DataInput 'S64'"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T0M", "DataInput 'T0M'"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T60S", "DataInput 'T60S'"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T60M", "DataInput 'T60M'"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T49H", "DataInput 'T49H'"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T01M", "DataInput 'T01M'"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T1D", "DataInput 'T1D'"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T1M-PSHA1", "DataInput 'PSHA1'"),
        ("OCRA-1:HOTP-SHA1-6:QN08-PSHA1-PSHA1", "DataInput 'PSHA1'"),
        ("OCRA-1:HOTP-SHA1-6:QN08--PSHA1", "stray '-'"),
        ("OCRA-1:HOTP-SHA1-6:QN08 ", "DataInput 'QN08 '"),
    ],
)
def test_bad_suites_name_the_wrong_part(text: str, part: str) -> None:
    with pytest.raises(OcraError) as raised:
        parse_suite(text)
    assert part in str(raised.value)


def test_a_suite_built_by_hand_is_checked_too() -> None:
    with pytest.raises(OcraError, match="digits"):
        OcraSuite(algorithm="SHA1", digits=3, challenge_format="N", challenge_length=8)
    with pytest.raises(OcraError, match="DataInput T"):
        OcraSuite(algorithm="SHA1", digits=6, challenge_format="N", challenge_length=8, timestep=61)


# --- Inputs ---------------------------------------------------------------------------------


def test_inputs_the_suite_does_not_name_are_refused_not_ignored() -> None:
    plain = "OCRA-1:HOTP-SHA1-6:QN08"
    with pytest.raises(OcraError, match="no C part"):
        ocra_response(plain, KEY20, challenge="12345678", counter=1)
    with pytest.raises(OcraError, match="no P part"):
        ocra_response(plain, KEY20, challenge="12345678", password=PIN)
    with pytest.raises(OcraError, match="no S part"):
        ocra_response(plain, KEY20, challenge="12345678", session_info=b"x")
    with pytest.raises(OcraError, match="no T part"):
        ocra_response(plain, KEY20, challenge="12345678", timestamp=1)


def test_inputs_the_suite_names_are_required() -> None:
    with pytest.raises(OcraError, match="needs the counter"):
        ocra_response("OCRA-1:HOTP-SHA512-8:C-QN08", KEY64, challenge="12345678")
    with pytest.raises(OcraError, match="needs the password"):
        ocra_response("OCRA-1:HOTP-SHA256-8:QN08-PSHA1", KEY32, challenge="12345678")
    with pytest.raises(OcraError, match="needs session information"):
        ocra_response("OCRA-1:HOTP-SHA256-8:QN08-S064", KEY32, challenge="12345678")
    with pytest.raises(OcraError, match="needs the timestamp"):
        ocra_response("OCRA-1:HOTP-SHA512-8:QN08-T1M", KEY64, challenge="12345678")


@pytest.mark.parametrize(
    ("suite", "challenge", "message"),
    [
        ("OCRA-1:HOTP-SHA1-6:QN08", "1234567a", "decimal digits"),
        ("OCRA-1:HOTP-SHA1-6:QN08", "١٢٣٤٥٦٧٨", "decimal digits"),  # Arabic-Indic digits
        ("OCRA-1:HOTP-SHA1-6:QN08", "123", "3 characters"),
        ("OCRA-1:HOTP-SHA1-6:QN08", "123456789", "9 characters"),
        ("OCRA-1:HOTP-SHA1-6:QH08", "12345g", "hexadecimal"),
        ("OCRA-1:HOTP-SHA1-6:QA08", "SIG 1000", "letters and digits"),
        ("OCRA-1:HOTP-SHA1-6:QA08", "SIGÅ1000", "letters and digits"),
        ("OCRA-1:HOTP-SHA1-6:QA08", "", "letters and digits"),
    ],
)
def test_challenges_must_fit_the_format(suite: str, challenge: str, message: str) -> None:
    with pytest.raises(OcraError, match=message):
        ocra_response(suite, KEY20, challenge=challenge)


def test_password_bytes_are_the_hash_of_the_right_size() -> None:
    suite = "OCRA-1:HOTP-SHA256-8:QN08-PSHA1"
    with pytest.raises(OcraError, match="20 bytes"):
        ocra_response(suite, KEY32, challenge="12345678", password=b"1234")
    sha256_suite = "OCRA-1:HOTP-SHA256-8:QN08-PSHA256"
    pin_hash = hashlib.sha256(b"1234").digest()
    assert ocra_response(sha256_suite, KEY32, challenge="12345678", password="1234") == (
        ocra_response(sha256_suite, KEY32, challenge="12345678", password=pin_hash)
    )


def test_keys_counters_and_timestamps_are_checked() -> None:
    with pytest.raises(OcraError, match="at least 16 bytes"):
        ocra_response("OCRA-1:HOTP-SHA1-6:QN08", b"short", challenge="12345678")
    with pytest.raises(OcraError, match="unsigned 64-bit"):
        ocra_response("OCRA-1:HOTP-SHA512-8:C-QN08", KEY64, challenge="1234", counter=-1)
    with pytest.raises(OcraError, match="unsigned 64-bit"):
        ocra_response("OCRA-1:HOTP-SHA512-8:C-QN08", KEY64, challenge="1234", counter=2**64)
    with pytest.raises(OcraError, match="is an int"):
        ocra_response("OCRA-1:HOTP-SHA512-8:QN08-T1M", KEY64, challenge="1234", timestamp=True)


def test_session_information_is_padded_on_the_left_and_bounded() -> None:
    suite = "OCRA-1:HOTP-SHA256-8:QN08-S064"
    short = ocra_response(suite, KEY32, challenge="12345678", session_info=b"session")
    padded = ocra_response(
        suite, KEY32, challenge="12345678", session_info=b"session".rjust(64, b"\x00")
    )
    assert short == padded
    with pytest.raises(OcraError, match="longer than S064"):
        ocra_response(suite, KEY32, challenge="12345678", session_info=bytes(65))


def test_no_truncation_gives_the_whole_hmac_in_hex() -> None:
    suite = "OCRA-1:HOTP-SHA256-0:QN08"
    response = ocra_response(suite, KEY32, challenge="12345678")
    assert len(response) == 64
    assert int(response, 16) >= 0
    assert ocra_verify(suite, KEY32, response.upper(), challenge="12345678") is not None


def test_hex_challenges_ignore_case() -> None:
    suite = "OCRA-1:HOTP-SHA1-6:QH08"
    assert ocra_response(suite, KEY20, challenge="abcdef12") == ocra_response(
        suite, KEY20, challenge="ABCDEF12"
    )


def test_the_rfc_numeric_encoding_cannot_tell_n_from_16n() -> None:
    """RFC ambiguity made visible: 2 = 0x2 and 32 = 0x20 both become the Q bytes 20 00 ..."""
    suite = "OCRA-1:HOTP-SHA1-6:QN08"
    assert ocra_response(suite, KEY20, challenge="0002") == ocra_response(
        suite, KEY20, challenge="0032"
    )


# --- Verification, windows and replays -------------------------------------------------------


def test_verify_refuses_wrong_and_malformed_responses() -> None:
    suite = "OCRA-1:HOTP-SHA1-6:QN08"
    assert ocra_verify(suite, KEY20, "237653", challenge="00000000") is not None
    for wrong in ["237654", "243178", "23765", "2376530", " 237653", "23765a", "２３７６５３", ""]:
        assert ocra_verify(suite, KEY20, wrong, challenge="00000000") is None
    assert ocra_verify(suite, KEY20, "237653", challenge="11111111") is None
    assert ocra_verify(suite, KEY32, "237653", challenge="00000000") is None


def test_counter_look_ahead_finds_the_tokens_counter() -> None:
    suite = "OCRA-1:HOTP-SHA512-8:C-QN08"
    # The token has been pressed three times without reaching the bank: it is at counter 3.
    assert ocra_verify(suite, KEY64, "25341727", challenge="33333333", counter=0) is None
    match = ocra_verify(suite, KEY64, "25341727", challenge="33333333", counter=0, counter_window=5)
    assert match == OcraMatch(counter=3, timestamp=None)


def test_a_used_counter_is_not_accepted_again() -> None:
    def check(response: str, counter: int, last: int | None) -> OcraMatch | None:
        return ocra_verify(
            "OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1",
            KEY32,
            response,
            challenge="12345678",
            password=PIN,
            counter=counter,
            counter_window=10,
            last_accepted_counter=last,
        )

    assert check("71565254", 0, None) == OcraMatch(counter=3, timestamp=None)
    # The bank stored 3: the same response (and any older one) is now refused.
    assert check("71565254", 4, 3) is None
    assert check("71565254", 0, 3) is None
    assert check("86775851", 0, 3) is None  # counter 1
    assert check("65983500", 4, 3) == OcraMatch(counter=5, timestamp=None)


def test_timestamp_window_and_replay() -> None:
    suite = "OCRA-1:HOTP-SHA512-8:QN08-T1M"
    response = "95209754"  # made at T_RFC
    assert ocra_verify(suite, KEY64, response, challenge="00000000", timestamp=T_RFC + 1) is None
    match = ocra_verify(
        suite, KEY64, response, challenge="00000000", timestamp=T_RFC + 1, timestamp_window=1
    )
    assert match == OcraMatch(counter=None, timestamp=T_RFC)
    assert (
        ocra_verify(
            suite, KEY64, response, challenge="00000000", timestamp=T_RFC - 2, timestamp_window=1
        )
        is None
    )
    replay = ocra_verify(
        suite,
        KEY64,
        response,
        challenge="00000000",
        timestamp=T_RFC,
        timestamp_window=1,
        last_accepted_timestamp=T_RFC,
    )
    assert replay is None


def test_windows_are_bounded_and_need_their_part() -> None:
    with pytest.raises(OcraError, match="counter window"):
        ocra_verify(
            "OCRA-1:HOTP-SHA512-8:C-QN08",
            KEY64,
            "00000000",
            challenge="1234",
            counter=0,
            counter_window=MAX_COUNTER_WINDOW + 1,
        )
    with pytest.raises(OcraError, match="no C part"):
        ocra_verify("OCRA-1:HOTP-SHA1-6:QN08", KEY20, "000000", challenge="1234", counter_window=1)
    with pytest.raises(OcraError, match="no T part"):
        ocra_verify(
            "OCRA-1:HOTP-SHA1-6:QN08", KEY20, "000000", challenge="1234", timestamp_window=1
        )


def test_is_fresh() -> None:
    assert is_fresh(0, None)
    assert is_fresh(5, 4)
    assert not is_fresh(4, 4)
    assert not is_fresh(3, 4)


# --- Challenges -------------------------------------------------------------------------------

PAYEE = "5050-1055"
ORDER_ID = "b7c1e0d2-order"


def order_challenge(
    *, amount_minor: int = 1_250_00, payee: str = PAYEE, order_id: str = ORDER_ID
) -> str:
    return signing_challenge(amount_minor=amount_minor, payee=payee, order_id=order_id)


def test_signing_challenge_is_deterministic_numeric_and_sized() -> None:
    challenge = order_challenge()
    assert challenge == order_challenge()
    assert len(challenge) == 8
    assert challenge.isascii()
    assert challenge.isdigit()
    assert int(challenge) % 16 != 0
    for length in (4, 6, 64):
        other = signing_challenge(
            amount_minor=1_250_00, payee=PAYEE, order_id=ORDER_ID, max_length=length
        )
        assert len(other) == length


def test_signing_challenge_depends_on_amount_payee_and_order() -> None:
    base = order_challenge()
    assert order_challenge(amount_minor=1_250_01) != base
    assert order_challenge(payee="5050-1056") != base
    assert order_challenge(order_id="b7c1e0d2-order2") != base


def test_signing_challenge_fields_cannot_slide_into_each_other() -> None:
    one = signing_challenge(amount_minor=1, payee="23", order_id="x")
    other = signing_challenge(amount_minor=12, payee="3", order_id="x")
    assert one != other


def test_signing_challenge_normalises_unicode_of_the_payee() -> None:
    composed = signing_challenge(amount_minor=100, payee="Åhléns", order_id="1")
    decomposed = signing_challenge(amount_minor=100, payee="A\u030ahle\u0301ns", order_id="1")
    assert composed == decomposed


@pytest.mark.parametrize(
    ("amount_minor", "payee", "order_id", "max_length"),
    [
        (-1, PAYEE, ORDER_ID, 8),
        (True, PAYEE, ORDER_ID, 8),
        (1.5, PAYEE, ORDER_ID, 8),
        (100, "", ORDER_ID, 8),
        (100, PAYEE, "", 8),
        (100, PAYEE, ORDER_ID, 3),
        (100, PAYEE, ORDER_ID, 65),
    ],
)
def test_signing_challenge_checks_its_inputs(
    amount_minor: int, payee: str, order_id: str, max_length: int
) -> None:
    with pytest.raises(OcraError):
        signing_challenge(
            amount_minor=amount_minor, payee=payee, order_id=order_id, max_length=max_length
        )


def test_signing_an_order_end_to_end() -> None:
    suite = "OCRA-1:HOTP-SHA256-8:QN08-PSHA1"
    challenge = order_challenge()
    code = ocra_response(suite, KEY32, challenge=challenge, password=PIN)  # on the token
    assert ocra_verify(suite, KEY32, code, challenge=challenge, password=PIN_SHA1) is not None
    # The same code does not approve another amount or payee.
    for other in (order_challenge(amount_minor=9_999_00), order_challenge(payee="5555-1234")):
        assert ocra_verify(suite, KEY32, code, challenge=other, password=PIN_SHA1) is None


def test_random_login_challenge() -> None:
    seen = {random_login_challenge() for _ in range(200)}
    assert len(seen) > 190
    for challenge in seen:
        assert len(challenge) == 8
        assert challenge.isascii()
        assert challenge.isdigit()
        assert int(challenge) % 16 != 0
    assert len(random_login_challenge(4)) == 4
    with pytest.raises(OcraError):
        random_login_challenge(3)


# --- Properties -------------------------------------------------------------------------------

HASHES: st.SearchStrategy[HashName] = st.sampled_from(("SHA1", "SHA256", "SHA512"))
FORMATS: st.SearchStrategy[ChallengeFormat] = st.sampled_from(("A", "N", "H"))
TIMESTEPS = st.one_of(
    st.integers(1, 59),
    st.integers(1, 59).map(lambda m: 60 * m),
    st.integers(1, 48).map(lambda h: 3600 * h),
)


@st.composite
def suites(draw: st.DrawFn, digits: st.SearchStrategy[int] | None = None) -> OcraSuite:
    return OcraSuite(
        algorithm=draw(HASHES),
        digits=draw(digits if digits is not None else st.sampled_from([0, *range(4, 11)])),
        challenge_format=draw(FORMATS),
        challenge_length=draw(st.integers(4, 64)),
        counter=draw(st.booleans()),
        password_hash=draw(st.one_of(st.none(), HASHES)),
        session_info_length=draw(st.one_of(st.none(), st.sampled_from((64, 128, 256, 512)))),
        timestep=draw(st.one_of(st.none(), TIMESTEPS)),
    )


ALPHABET = {
    "N": "0123456789",
    "H": "0123456789abcdefABCDEF",
    "A": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
}


class Inputs(TypedDict):
    """The keyword arguments of ocra_response for one suite."""

    challenge: str
    counter: NotRequired[int]
    password: NotRequired[str]
    session_info: NotRequired[bytes]
    timestamp: NotRequired[int]


@st.composite
def inputs(draw: st.DrawFn, suite: OcraSuite) -> Inputs:
    alphabet = ALPHABET[suite.challenge_format]
    values: Inputs = {
        "challenge": draw(st.text(alphabet=alphabet, min_size=4, max_size=suite.challenge_length))
    }
    if suite.counter:
        values["counter"] = draw(st.integers(0, 2**64 - 1))
    if suite.password_hash is not None:
        values["password"] = draw(st.text(min_size=1, max_size=12))
    if suite.session_info_length is not None:
        values["session_info"] = draw(st.binary(max_size=suite.session_info_length))
    if suite.timestep is not None:
        values["timestamp"] = draw(st.integers(0, 2**64 - 1))
    return values


KEYS = st.binary(min_size=16, max_size=80)


@given(suites())
def test_property_suite_round_trip(suite: OcraSuite) -> None:
    text = str(suite)
    assert parse_suite(text) == suite
    assert str(parse_suite(text)) == text


@given(st.data(), KEYS)
def test_property_response_has_exactly_digits_digits(data: st.DataObject, key: bytes) -> None:
    suite = data.draw(suites())
    response = ocra_response(suite, key, **data.draw(inputs(suite)))
    if suite.digits == 0:
        assert len(response) == {"SHA1": 40, "SHA256": 64, "SHA512": 128}[suite.algorithm]
        assert int(response, 16) >= 0
    else:
        assert len(response) == suite.digits
        assert response.isascii()
        assert response.isdigit()


def _same_q(fmt: str, a: str, b: str) -> bool:
    """Whether two challenges give the same Q bytes under the RFC's encoding: numeric ones
    whose values differ by a factor 16^k, hexadecimal ones that differ only in case."""
    if fmt == "N":
        return format(int(a), "x").rstrip("0") == format(int(b), "x").rstrip("0")
    if fmt == "H":
        return a.lower() == b.lower()
    return a == b


@settings(max_examples=150)
@given(st.data(), st.lists(KEYS, min_size=3, max_size=3, unique=True))
def test_property_every_challenge_character_counts(data: st.DataObject, keys: list[bytes]) -> None:
    suite = data.draw(suites(digits=st.sampled_from([6, 8])))
    values = data.draw(inputs(suite))
    challenge = values["challenge"]
    position = data.draw(st.integers(0, len(challenge) - 1))
    replacement = data.draw(st.sampled_from(ALPHABET[suite.challenge_format]))
    changed = challenge[:position] + replacement + challenge[position + 1 :]
    assume(not _same_q(suite.challenge_format, challenge, changed))
    before = [ocra_response(suite, k, **values) for k in keys]
    values_changed: Inputs = {**values, "challenge": changed}
    after = [ocra_response(suite, k, **values_changed) for k in keys]
    assert before != after


@given(st.data(), KEYS)
def test_property_verify_accepts_the_response_and_nothing_else(
    data: st.DataObject, key: bytes
) -> None:
    suite = data.draw(suites(digits=st.integers(4, 10)))
    values = data.draw(inputs(suite))
    response = ocra_response(suite, key, **values)
    match = ocra_verify(suite, key, response, **values)
    assert match == OcraMatch(
        counter=values.get("counter"),
        timestamp=values.get("timestamp"),
    )
    shift = data.draw(st.integers(1, 10**suite.digits - 1))
    other = str((int(response) + shift) % 10**suite.digits).zfill(suite.digits)
    assert ocra_verify(suite, key, other, **values) is None


@given(
    st.integers(0, 10**12),
    st.text(min_size=1, max_size=30),
    st.text(min_size=1, max_size=30),
    st.integers(4, 64),
)
def test_property_signing_challenges_are_numeric_and_never_multiples_of_16(
    amount: int, payee: str, order_id: str, length: int
) -> None:
    challenge = signing_challenge(
        amount_minor=amount, payee=payee, order_id=order_id, max_length=length
    )
    assert len(challenge) == length
    assert challenge.isascii()
    assert challenge.isdigit()
    assert int(challenge) % 16 != 0
