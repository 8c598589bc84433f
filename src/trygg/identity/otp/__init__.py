"""OATH one-time passwords for the customer's security token (säkerhetsdosa).

* ``ocra``: OCRA challenge-response (RFC 6287), for log-in and for signing orders with a
  challenge derived from the order (dynamic linking).
* ``totp``: time-based codes (RFC 6238), for log-in.

Both modules are pure: no Django, no clock of their own, no storage. Replay protection
needs the caller to store the last accepted counter or time step per token.
"""

from trygg.identity.otp.ocra import (
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
from trygg.identity.otp.totp import TotpError, totp_now, totp_step, totp_verify

__all__ = [
    "OcraError",
    "OcraMatch",
    "OcraSuite",
    "TotpError",
    "is_fresh",
    "ocra_response",
    "ocra_verify",
    "parse_suite",
    "random_login_challenge",
    "signing_challenge",
    "totp_now",
    "totp_step",
    "totp_verify",
]
