"""The animated QR code and the same-device launch URL."""

from __future__ import annotations

import hashlib
import hmac
import subprocess
import sys

import pytest

from trygg.identity.bankid.launch import launch_url
from trygg.identity.bankid.qr import qr_auth_code, qr_data, qr_seconds, qr_svg

# The worked example in BankID's description of the animated QR code.
DOC_TOKEN = "67df3917-fa0d-44e5-b327-edcc928297f8"
DOC_SECRET = "d28db9a7-4cde-429e-a983-359be676944c"


@pytest.mark.parametrize(
    ("seconds", "auth_code"),
    [
        (0, "dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8"),
        (1, "949d559bf23403952a94d103e67743126381eda00f0b3cbddbf7c96b1adcbce2"),
        (2, "a9e5ec59cb4eee4ef4117150abc58fad7a85439a6a96ccbecc3668b41795b3f3"),
    ],
)
def test_qr_data_matches_the_documented_example(seconds: int, auth_code: str) -> None:
    assert qr_data(DOC_TOKEN, DOC_SECRET, seconds) == f"bankid.{DOC_TOKEN}.{seconds}.{auth_code}"


def test_qr_data_is_hmac_sha256_of_the_seconds_keyed_with_the_secret() -> None:
    secret = "5d2b-secret"
    expected = hmac.new(b"5d2b-secret", b"37", hashlib.sha256).hexdigest()
    assert qr_auth_code(secret, 37) == expected
    assert qr_data("token-1", secret, 37) == f"bankid.token-1.37.{expected}"
    assert qr_data("token-1", secret, 38) != qr_data("token-1", secret, 37)


def test_qr_data_refuses_negative_seconds_and_bad_tokens() -> None:
    with pytest.raises(ValueError, match="negative"):
        qr_data(DOC_TOKEN, DOC_SECRET, -1)
    with pytest.raises(ValueError, match="token"):
        qr_data("a.b", DOC_SECRET, 0)


def test_qr_seconds_counts_whole_seconds_from_the_start() -> None:
    assert qr_seconds(100.0, 100.0) == 0
    assert qr_seconds(100.0, 100.99) == 0
    assert qr_seconds(100.0, 103.2) == 3
    assert qr_seconds(100.0, 99.0) == 0


def test_qr_svg_is_an_inline_svg_without_the_secret() -> None:
    data = qr_data(DOC_TOKEN, DOC_SECRET, 4)
    svg = qr_svg(data)
    assert svg.startswith("<svg")
    assert "<path" in svg
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert DOC_SECRET not in svg
    assert qr_svg(qr_data(DOC_TOKEN, DOC_SECRET, 5)) != svg


def test_launch_url_uses_the_autostart_token_and_redirect_null() -> None:
    token = "46f4a7f5-9c7e-4b0f-8a61-2c0b0a3e9d11"
    assert launch_url(token) == f"bankid:///?autostarttoken={token}&redirect=null"
    assert (
        launch_url(token, universal_link=True)
        == f"https://app.bankid.com/?autostarttoken={token}&redirect=null"
    )
    assert launch_url(token, redirect="https://trygg.example/back?x=1").endswith(
        "&redirect=https%3A%2F%2Ftrygg.example%2Fback%3Fx%3D1"
    )
    with pytest.raises(ValueError, match="empty"):
        launch_url("")


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("trygg.identity.bankid", ("django",)),
        ("trygg.simulators.bankid", ("django", "httpx", "qrcode")),
    ],
)
def test_import_purity(module: str, forbidden: tuple[str, ...]) -> None:
    """The client must not pull in Django; the simulator only the standard library (and the
    pure identity-number module)."""
    script = (
        f"import sys, {module}\n"
        f"bad = [m for m in {forbidden!r} if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
