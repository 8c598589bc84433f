"""hintCode and errorCode -> BankID's recommended user message, in Swedish and English."""

from __future__ import annotations

import pytest

from trygg.identity.bankid.messages import (
    ERROR_CODES,
    FAILED_HINT_CODES,
    PENDING_HINT_CODES,
    RFA_TEXTS,
    Flow,
    Language,
    rfa_for,
    user_message,
)

FLOWS: tuple[Flow, ...] = ("qr", "same_device", "phone")
LANGUAGES: tuple[Language, ...] = ("sv", "en")

# Restated from BankID's collect and error descriptions, independently of the module's tables:
# code -> message for (qr, same_device, phone).
PENDING = {
    "outstandingTransaction": ("RFA1", "RFA13", "RFA1"),
    "noClient": ("RFA1", "RFA1", "RFA1"),
    "started": ("RFA15B", "RFA15B", "RFA15B"),
    "userMrtd": ("RFA23", "RFA23", "RFA23"),
    "userCallConfirm": ("RFA21", "RFA21", "RFA21"),
    "userSign": ("RFA9", "RFA9", "RFA9"),
}
FAILED = {
    "expiredTransaction": ("RFA8", "RFA8", "RFA8"),
    "certificateErr": ("RFA16", "RFA16", "RFA16"),
    "userCancel": ("RFA6", "RFA6", "RFA6"),
    "cancelled": ("RFA3", "RFA3", "RFA3"),
    "startFailed": ("RFA17B", "RFA17A", "RFA17A"),
    "userDeclinedCall": ("RFA6", "RFA6", "RFA6"),
}
ERRORS = {
    "alreadyInProgress": "RFA4",
    "requestTimeout": "RFA5",
    "internalError": "RFA5",
    "maintenance": "RFA5",
    "invalidParameters": "RFA22",
    "unauthorized": "RFA22",
    "notFound": "RFA22",
    "methodNotAllowed": "RFA22",
    "unsupportedMediaType": "RFA22",
    "clientTimeout": "RFA5",
    "connectionError": "RFA5",
    "invalidResponse": "RFA5",
}


def test_the_tables_cover_every_code() -> None:
    assert set(PENDING) == set(PENDING_HINT_CODES)
    assert set(FAILED) == set(FAILED_HINT_CODES)
    assert set(ERRORS) == set(ERROR_CODES)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("hint_code", sorted(PENDING))
def test_pending_hint_codes(hint_code: str, language: Language) -> None:
    for flow, key in zip(FLOWS, PENDING[hint_code], strict=True):
        assert rfa_for("pending", hint_code, None, started_with=flow) == key
        text = user_message("pending", hint_code, None, language=language, started_with=flow)
        assert text == RFA_TEXTS[key][language]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("hint_code", sorted(FAILED))
def test_failed_hint_codes(hint_code: str, language: Language) -> None:
    for flow, key in zip(FLOWS, FAILED[hint_code], strict=True):
        assert rfa_for("failed", hint_code, None, started_with=flow) == key
        text = user_message("failed", hint_code, None, language=language, started_with=flow)
        assert text == RFA_TEXTS[key][language]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("error_code", sorted(ERRORS))
def test_error_codes(error_code: str, language: Language) -> None:
    for flow in FLOWS:
        text = user_message(None, None, error_code, language=language, started_with=flow)
        assert text == RFA_TEXTS[ERRORS[error_code]][language]
    # An error code wins over a status and hint code given alongside it.
    assert rfa_for("pending", "userSign", error_code, started_with="qr") == ERRORS[error_code]


def test_started_on_a_computer_uses_rfa15a() -> None:
    assert rfa_for("pending", "started", None, started_with="same_device", on_computer=True) == (
        "RFA15A"
    )
    assert "kortläsaren" in user_message(
        "pending", "started", None, language="sv", started_with="same_device", on_computer=True
    )


def test_unknown_codes_fall_back_as_bankid_says() -> None:
    assert rfa_for("pending", "someNewHint", None, started_with="qr") == "RFA21"
    assert rfa_for("failed", "someNewHint", None, started_with="qr") == "RFA22"
    assert rfa_for(None, None, "someNewError", started_with="qr") == "RFA22"


def test_texts_in_both_languages() -> None:
    assert set(RFA_TEXTS) == {
        "RFA1", "RFA2", "RFA3", "RFA4", "RFA5", "RFA6", "RFA8", "RFA9", "RFA13", "RFA15A",
        "RFA15B", "RFA16", "RFA17A", "RFA17B", "RFA19", "RFA20", "RFA21", "RFA22", "RFA23",
    }  # fmt: skip
    for key, texts in RFA_TEXTS.items():
        assert set(texts) == {"sv", "en"}, key
        assert texts["sv"].strip() and texts["en"].strip(), key
        assert texts["sv"] != texts["en"], key
    assert RFA_TEXTS["RFA9"]["sv"] == (
        "Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under."
    )
    assert RFA_TEXTS["RFA9"]["en"] == (
        "Enter your security code in the BankID app and select Identify or Sign."
    )
    assert RFA_TEXTS["RFA17B"]["en"] == (
        "Failed to scan the QR code. Start the BankID app and scan the QR code."
    )


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="complete"):
        rfa_for("complete", None, None, started_with="qr")
    with pytest.raises(ValueError, match="started_with"):
        rfa_for("pending", "userSign", None, started_with="fax")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="language"):
        user_message("pending", "userSign", None, language="de", started_with="qr")  # type: ignore[arg-type]
