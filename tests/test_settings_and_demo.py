"""Production settings refuse to start without secrets and pass Django's deploy checks; the demo
loads idempotently and its log-ins work."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

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
