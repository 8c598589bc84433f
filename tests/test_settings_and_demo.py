"""Production settings refuse to start without secrets and pass Django's deploy checks; the demo
loads idempotently and its log-ins work."""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.identity.models import StaffUser
from trygg.identity.services import pin_login
from trygg.kernel import idnumbers
from trygg.kernel.audit import SYSTEM
from trygg.parties.models import Party

ROOT = Path(__file__).resolve().parent.parent
PROD = {
    "TRYGG_ENV": "production",
    "TRYGG_SECRET_KEY": secrets.token_urlsafe(50),
    "TRYGG_PIN_PEPPER": "p" * 40,
    "TRYGG_AUDIT_KEY": "a" * 40,
    "TRYGG_TOKEN_KEY": "t" * 40,
    "TRYGG_BANKID_URL": "",
    "TRYGG_ALLOWED_HOSTS": "bank.example.se",
    "TRYGG_DATABASE_URL": "postgresql://trygg@127.0.0.1:5432/trygg",
}


def _trygg(
    args: list[str], env: dict[str, str], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TRYGG_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    clean.update({"TRYGG_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "-m", "trygg.cli", *args],
        env=clean,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "missing",
    [
        "TRYGG_SECRET_KEY",
        "TRYGG_PIN_PEPPER",
        "TRYGG_AUDIT_KEY",
        "TRYGG_TOKEN_KEY",
        "TRYGG_ALLOWED_HOSTS",
    ],
)
def test_production_refuses_to_start_without_a_secret(missing: str, tmp_path: Path) -> None:
    env = {k: v for k, v in PROD.items() if k != missing}
    result = _trygg(["check"], env, tmp_path)
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


def test_production_refuses_a_short_pepper(tmp_path: Path) -> None:
    result = _trygg(["check"], {**PROD, "TRYGG_PIN_PEPPER": "short"}, tmp_path)
    assert result.returncode != 0 and "TRYGG_PIN_PEPPER" in result.stderr


def test_production_passes_the_deploy_checks(tmp_path: Path) -> None:
    result = _trygg(["check", "--deploy", "--fail-level", "WARNING"], PROD, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_keeps_generated_secrets_under_var(tmp_path: Path) -> None:
    result = _trygg(["check"], {}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "dev-secrets.json").stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db
def test_demo_twice_creates_nothing_twice(capsys: Any) -> None:
    call_command("demo")
    first = capsys.readouterr().out
    counts = Party.objects.count()
    call_command("demo")
    assert Party.objects.count() == counts == 9  # eight persons and one firm
    assert capsys.readouterr().out == first
    assert "kundtjanst" in first and "PIN" in first


@pytest.mark.django_db
def test_demo_logins_work(capsys: Any) -> None:
    call_command("demo")
    out = capsys.readouterr().out
    lines = [line.split() for line in out.splitlines() if " PIN " in line]
    assert len(lines) == 8
    for parts in lines:
        number, pin = parts[0], parts[2]
        result = pin_login(ctx=SYSTEM, id_number=number, pin=pin)
        assert result.party.id_number == idnumbers.parse(number).value


@pytest.mark.parametrize("keys", ["ivr:short", "ivr", "ivr:" + "k" * 40 + ",ivr:" + "q" * 40])
def test_production_refuses_a_malformed_telephony_key(keys: str, tmp_path: Path) -> None:
    result = _trygg(["check"], {**PROD, "TRYGG_TELEPHONY_KEYS": keys}, tmp_path)
    assert result.returncode != 0
    assert "TRYGG_TELEPHONY_KEYS" in result.stderr or "telephony platform" in result.stderr


def test_development_generates_a_telephony_key(tmp_path: Path) -> None:
    result = _trygg(["check"], {}, tmp_path)
    assert result.returncode == 0, result.stderr
    stored = json.loads((tmp_path / "dev-secrets.json").read_text())
    assert len(stored["telephony_key"]) >= 32


@pytest.mark.django_db
def test_demo_refuses_to_run_in_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("demo")
    assert not Party.objects.exists() and not StaffUser.objects.exists()


def test_trygg_demo_refuses_in_a_production_environment(tmp_path: Path) -> None:
    env = {**PROD, "TRYGG_DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}"}
    result = _trygg(["demo"], env, tmp_path)
    assert result.returncode != 0 and "does not run in production" in result.stderr


@pytest.mark.django_db
def test_demo_staff_each_have_their_own_random_totp_secret(capsys: Any) -> None:
    from trygg.web.demo import STAFF, _legacy_totp_key

    call_command("demo")
    devices = {d.user.username: d for d in TOTPDevice.objects.select_related("user")}
    assert set(devices) == {username for username, _role, _name in STAFF}
    keys = [d.key for d in devices.values()]
    assert len(set(keys)) == len(keys)  # each their own
    for username, device in devices.items():
        assert device.key != _legacy_totp_key(username).hex()  # not derivable from the name
    out = capsys.readouterr().out
    for device in devices.values():
        assert base64.b32encode(device.bin_key).decode().rstrip("=") in out
    # An older database whose demo secrets were derived from the names gets new ones.
    old = devices["kundtjanst"]
    old.key = _legacy_totp_key("kundtjanst").hex()
    old.save()
    call_command("demo")
    old.refresh_from_db()
    assert old.key != _legacy_totp_key("kundtjanst").hex()
