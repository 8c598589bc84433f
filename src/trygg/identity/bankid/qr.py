"""The animated BankID QR code.

After ``auth`` or ``sign`` the relying party shows a QR code that changes every second. Frame
``n`` (``n`` whole seconds after the order answer arrived) holds the text

    ``bankid.<qrStartToken>.<n>.<qrAuthCode>``

where ``qrAuthCode`` is the lower-case hex HMAC-SHA256 of ``str(n)`` keyed with
``qrStartSecret``. The BankID app reads the frame and the service checks the code and how old
the frame is, so a photographed or relayed QR code stops working within seconds.

``qrStartSecret`` never leaves the server: the server computes each frame with :func:`qr_data`
and sends the browser a picture (:func:`qr_svg`), never the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from typing import Final

import qrcode
import qrcode.constants
import qrcode.image.svg

__all__ = ["qr_auth_code", "qr_data", "qr_seconds", "qr_svg"]

_PREFIX: Final = "bankid"


def qr_auth_code(qr_start_secret: str, seconds: int) -> str:
    """The hex HMAC-SHA256 of ``str(seconds)`` keyed with ``qr_start_secret``."""
    if seconds < 0:
        raise ValueError("seconds must not be negative.")
    return hmac.new(
        qr_start_secret.encode("utf-8"), str(seconds).encode("ascii"), hashlib.sha256
    ).hexdigest()


def qr_data(qr_start_token: str, qr_start_secret: str, seconds: int) -> str:
    """The content of QR frame ``seconds`` (whole seconds since the order answer arrived)."""
    if not qr_start_token or "." in qr_start_token:
        raise ValueError("qr_start_token must be a non-empty token without dots.")
    return f"{_PREFIX}.{qr_start_token}.{seconds}.{qr_auth_code(qr_start_secret, seconds)}"


def qr_seconds(started_at: float, now: float) -> int:
    """Whole seconds from ``started_at`` to ``now`` (both from one monotonic clock), at least 0."""
    return max(0, math.floor(now - started_at))


def qr_svg(data: str, *, box_size: int = 10, border: int = 4) -> str:
    """An SVG picture of a QR code holding ``data`` (the ``qrcode`` SVG path factory, no Pillow).

    The result is the ``<svg>`` element alone, without an XML declaration. ``box_size`` sets the
    size of one module (the factory writes ``box_size / 10`` millimetres, so 10 gives 1 mm; the
    ``viewBox`` lets CSS scale it); ``border`` is the quiet zone in modules (4 is the QR
    standard's minimum).
    """
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_L,
        box_size=box_size,
        border=border,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image()
    # to_string gives the <svg> element alone (no XML declaration), so the picture can be
    # inlined in an HTML page as well as served as image/svg+xml.
    return str(image.to_string(encoding="unicode"))
