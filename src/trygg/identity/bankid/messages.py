"""BankID's recommended user messages (RFA1-RFA23) and which one to show when.

BankID asks relying parties to show its own texts, so that users meet the same words in every
service. The texts below are BankID's, in Swedish and English, from the list of recommended user
messages on developers.bankid.com (the current list; the older Relying Party Guidelines 3.x had
slightly different wordings). Two typing errors in the list as published and quoted ("gitligt"
in the Swedish RFA15B, "you ID document" in the English RFA23) are corrected here.

Numbers that are not here (RFA7, RFA10-RFA12, RFA14, RFA18) are not in BankID's current list;
RFA14 and RFA18 were in the Relying Party Guidelines 3.x and are no longer recommended, and no
hint code leads to them. "A" and "B" variants depend on the user's device (RFA15: A on a
computer, B on a phone or tablet) or on the flow (RFA17: A when the app was started on the same
device, B when a QR code was scanned).

Which message for which code (:func:`user_message`), from BankID's ``collect`` and error
descriptions:

====================== ==========================================================================
pending hintCode       message
====================== ==========================================================================
outstandingTransaction RFA13 when the page tried to start the app on the same device, else RFA1
noClient               RFA1
started                RFA15A on a computer, RFA15B on a phone or tablet
userMrtd               RFA23
userCallConfirm        RFA21 (BankID gives no text of its own; the app asks about the call)
userSign               RFA9
anything else          RFA21 (BankID: unknown pending codes get RFA21)
====================== ==========================================================================

====================== ==========================================================================
failed hintCode        message
====================== ==========================================================================
expiredTransaction     RFA8
certificateErr         RFA16
userCancel             RFA6
cancelled              RFA3
startFailed            RFA17B after a QR code, else RFA17A
userDeclinedCall       RFA6 (our choice: BankID gives no text; the user refused in the app)
anything else          RFA22 (BankID: unknown failure codes get RFA22)
====================== ==========================================================================

====================== ==========================================================================
errorCode              message
====================== ==========================================================================
alreadyInProgress      RFA4
requestTimeout         RFA5 (BankID: do not retry automatically)
internalError          RFA5 (BankID: do not retry automatically)
maintenance            RFA5 (BankID: retry silently first; show RFA5 if it persists)
invalidParameters,     RFA22: these are errors in the relying party's own system, which BankID
unauthorized,          says must not be presented as BankID errors, so the user gets the neutral
notFound,              "something went wrong"
methodNotAllowed,
unsupportedMediaType
clientTimeout,         RFA5 (the client's own codes for a network failure or no answer in time)
connectionError,
invalidResponse
anything else          RFA22 (BankID: unknown error codes get RFA22)
====================== ==========================================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

__all__ = [
    "ERROR_CODES",
    "FAILED_HINT_CODES",
    "PENDING_HINT_CODES",
    "RFA_TEXTS",
    "Flow",
    "Language",
    "rfa_for",
    "user_message",
]

Language = Literal["sv", "en"]
Flow = Literal["qr", "same_device", "phone"]

RFA_TEXTS: Final[Mapping[str, Mapping[Language, str]]] = {
    "RFA1": {
        "sv": "Starta BankID-appen.",
        "en": "Start your BankID app.",
    },
    "RFA2": {
        "sv": "Du verkar inte ha BankID-appen. Installera den och skaffa ett BankID.",
        "en": "You don't seem to have the BankID app. Install the app and get a BankID.",
    },
    "RFA3": {
        "sv": "Åtgärden avbröts. Försök igen.",
        "en": "The action was cancelled. Please try again.",
    },
    "RFA4": {
        "sv": "En identifiering eller underskrift pågår redan för ditt personnummer. Försök igen.",
        "en": (
            "An identification or signature is already in progress for your personal identity "
            "number. Please try again."
        ),
    },
    "RFA5": {
        "sv": "Något gick fel. Försök igen.",
        "en": "Something went wrong. Please try again.",
    },
    "RFA6": {
        "sv": "Åtgärden avbröts.",
        "en": "The action was cancelled.",
    },
    "RFA8": {
        "sv": (
            "BankID-appen svarar inte. Kontrollera att den är startad och att du har "
            "internetanslutning. Försök sedan igen."
        ),
        "en": (
            "The BankID app is not responding. Please check that it’s started and that you have "
            "internet access. Try again."
        ),
    },
    "RFA9": {
        "sv": "Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under.",
        "en": "Enter your security code in the BankID app and select Identify or Sign.",
    },
    "RFA13": {
        "sv": "Försöker starta BankID-appen.",
        "en": "Trying to start your BankID app.",
    },
    "RFA15A": {
        "sv": (
            "Söker efter BankID. Säkerställ att du har ett giltigt BankID på den här datorn. "
            "Om du har ett BankID på kort, sätt in kortet i kortläsaren."
        ),
        "en": (
            "Searching for BankID. Make sure you have a valid BankID on this computer. If you "
            "have a BankID on card, please insert the card into your card reader."
        ),
    },
    "RFA15B": {
        "sv": "Söker efter BankID. Säkerställ att du har ett giltigt BankID på den här enheten.",
        "en": "Searching for BankID. Make sure you have a valid BankID on this device.",
    },
    "RFA16": {
        "sv": (
            "Ditt BankID är för gammalt eller spärrat. Använd ett annat BankID eller skaffa ett "
            "nytt hos din bank."
        ),
        "en": (
            "Your BankID is blocked or too old. Please use another BankID or get a new one from "
            "your bank."
        ),
    },
    "RFA17A": {
        "sv": (
            "Du verkar inte ha BankID-appen/programmet. Installera den och skaffa ett BankID "
            "hos din bank."
        ),
        "en": (
            "You don't seem to have the BankID app/program. Please install it and get a BankID "
            "from your bank."
        ),
    },
    "RFA17B": {
        "sv": "Misslyckades att läsa av QR-koden. Starta BankID-appen och läs av QR-koden.",
        "en": "Failed to scan the QR code. Start the BankID app and scan the QR code.",
    },
    "RFA19": {
        "sv": "Vill du använda BankID på den här datorn eller ett Mobilt BankID?",
        "en": "Would you like to use BankID on this computer, or a Mobile BankID?",
    },
    "RFA20": {
        "sv": "Vill du använda BankID på den här enheten eller på en annan enhet?",
        "en": "Do you want to use BankID on this device or another device?",
    },
    "RFA21": {
        "sv": "En identifiering eller underskrift pågår.",
        "en": "An identification or signing is in progress.",
    },
    "RFA22": {
        "sv": "Något gick fel. Försök igen.",
        "en": "Something went wrong. Please try again.",
    },
    "RFA23": {
        "sv": "Fotografera och läs av din ID-handling med BankID-appen.",
        "en": "Take a photo of, and scan, your ID document with the BankID app.",
    },
}

# hintCode or errorCode -> message key; the flow- and device-dependent codes are in rfa_for.
_PENDING: Final[Mapping[str, str]] = {
    "noClient": "RFA1",
    "userMrtd": "RFA23",
    "userCallConfirm": "RFA21",
    "userSign": "RFA9",
}
_FAILED: Final[Mapping[str, str]] = {
    "expiredTransaction": "RFA8",
    "certificateErr": "RFA16",
    "userCancel": "RFA6",
    "cancelled": "RFA3",
    "userDeclinedCall": "RFA6",
}
_ERRORS: Final[Mapping[str, str]] = {
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

PENDING_HINT_CODES: Final = (
    "outstandingTransaction",
    "noClient",
    "started",
    "userMrtd",
    "userCallConfirm",
    "userSign",
)
FAILED_HINT_CODES: Final = (
    "expiredTransaction",
    "certificateErr",
    "userCancel",
    "cancelled",
    "startFailed",
    "userDeclinedCall",
)
ERROR_CODES: Final = tuple(_ERRORS)

_UNKNOWN_PENDING: Final = "RFA21"
_UNKNOWN_FAILED: Final = "RFA22"
_UNKNOWN_ERROR: Final = "RFA22"
_FLOWS: Final = ("qr", "same_device", "phone")


def rfa_for(
    status: str | None,
    hint_code: str | None,
    error_code: str | None,
    *,
    started_with: Flow,
    on_computer: bool = False,
) -> str:
    """The key of the message (``"RFA9"``, ``"RFA17B"``, ...) for a collect answer or an error.

    ``error_code`` (from :class:`~trygg.identity.bankid.client.BankIdError`) wins when given;
    otherwise ``status`` must be ``"pending"`` or ``"failed"`` (a complete order has no BankID
    message). ``started_with`` is how the order was started: ``"qr"`` (QR code shown),
    ``"same_device"`` (the page launched the app with the autostart token) or ``"phone"``
    (phone/auth, phone/sign). ``on_computer`` picks the computer variant of RFA15.
    """
    if started_with not in _FLOWS:
        raise ValueError(f"started_with must be one of {_FLOWS}, not {started_with!r}.")
    if error_code is not None:
        return _ERRORS.get(error_code, _UNKNOWN_ERROR)
    if status == "pending":
        if hint_code == "outstandingTransaction":
            return "RFA13" if started_with == "same_device" else "RFA1"
        if hint_code == "started":
            return "RFA15A" if on_computer else "RFA15B"
        return _PENDING.get(hint_code or "", _UNKNOWN_PENDING)
    if status == "failed":
        if hint_code == "startFailed":
            return "RFA17B" if started_with == "qr" else "RFA17A"
        return _FAILED.get(hint_code or "", _UNKNOWN_FAILED)
    raise ValueError(
        f"No BankID message for status {status!r} without an error code "
        "(only pending and failed orders and errors have one)."
    )


def user_message(
    status: str | None,
    hint_code: str | None,
    error_code: str | None,
    *,
    language: Language,
    started_with: Flow,
    on_computer: bool = False,
) -> str:
    """The text to show the user (see :func:`rfa_for` and the table in the module docstring)."""
    if language not in ("sv", "en"):
        raise ValueError(f"language must be 'sv' or 'en', not {language!r}.")
    key = rfa_for(status, hint_code, error_code, started_with=started_with, on_computer=on_computer)
    return RFA_TEXTS[key][language]
