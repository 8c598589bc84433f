"""BankID (Swedish e-identification) through the Relying Party API v6.0.

Pure Python, no Django: the views and services that use it live elsewhere.

* :mod:`.client`: :class:`BankIdClient` (auth, sign, phone/auth, phone/sign, collect, cancel),
  the result types and :class:`BankIdError`;
* :mod:`.qr`: the animated QR code (:func:`qr_data`) and its SVG picture (:func:`qr_svg`);
* :mod:`.messages`: BankID's recommended user messages and which to show when
  (:func:`user_message`);
* :mod:`.launch`: the URL that starts the app on the same device (:func:`launch_url`).

Locally and in tests the client talks to the simulator in :mod:`trygg.simulators.bankid`.
"""

from trygg.identity.bankid.client import (
    BankIdClient,
    BankIdError,
    CollectResult,
    CompletionData,
    CompletionDevice,
    CompletionUser,
    OrderStarted,
    Requirement,
    StepUp,
)
from trygg.identity.bankid.launch import launch_url
from trygg.identity.bankid.messages import user_message
from trygg.identity.bankid.qr import qr_data, qr_svg

__all__ = [
    "BankIdClient",
    "BankIdError",
    "CollectResult",
    "CompletionData",
    "CompletionDevice",
    "CompletionUser",
    "OrderStarted",
    "Requirement",
    "StepUp",
    "launch_url",
    "qr_data",
    "qr_svg",
    "user_message",
]
