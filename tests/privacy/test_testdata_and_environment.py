"""Fictitious data at scale, and a test environment that will not start on production data
without a logged reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from trygg.banking.models import Account
from trygg.kernel import idnumbers
from trygg.kernel.models import AuditEvent
from trygg.parties.models import Address, ContactMethod, Party
from trygg.privacy import environment, testdata
from trygg.privacy.models import DatabaseMark

pytestmark = pytest.mark.django_db


def test_testdata_makes_persons_with_valid_numbers(capsys: Any) -> None:
    before = Party.objects.count()
    call_command("testdata", "--persons", "250", "--batch", "100")
    assert "250 fictitious persons" in capsys.readouterr().out
    made = Party.objects.order_by("-pk")[:250]
    countries = set()
    for party in made:
        parsed = idnumbers.parse(party.id_number, country=party.country)
        assert parsed.value == party.id_number and parsed.birth_date == party.birth_date
        countries.add(party.country)
    assert countries == {"SE", "NO"}
    assert Party.objects.count() == before + 250
    new = Party.objects.filter(pk__in=[p.pk for p in made])
    assert Address.objects.filter(party__in=new).count() == 250
    assert ContactMethod.objects.filter(party__in=new).count() == 500
    assert Account.objects.filter(party__in=new).count() == 250
    assert all(
        c.endswith("@example.org")
        for c in ContactMethod.objects.filter(party__in=new, kind="email").values_list(
            "value", flat=True
        )
    )
    # A second run adds persons with numbers of their own.
    testdata.make_persons(50, seed=1)
    assert Party.objects.values("id_number").distinct().count() == Party.objects.count()


def test_testdata_refuses_a_database_marked_production() -> None:
    environment.mark_database(production=True)
    with pytest.raises(CommandError, match="marked production"):
        call_command("testdata", "--persons", "10")
    with pytest.raises(ValueError, match="--persons"):
        testdata.make_persons(0)


def test_a_test_environment_refuses_a_production_database(monkeypatch: Any) -> None:
    environment.guard("run")  # unmarked or marked not production: starts
    environment.mark_database(production=True, note="restored from production")
    monkeypatch.delenv(environment.OVERRIDE, raising=False)
    for command in ("run", "trygg_worker", "serve", "migrate", "privacy", "demo"):
        with pytest.raises(environment.ProductionDatabase, match="marked production"):
            environment.guard(command)
    environment.guard("check")  # writes nothing
    assert not AuditEvent.objects.filter(object_type="production-data-override").exists()


def test_the_override_is_explicit_and_logged(monkeypatch: Any, caplog: Any) -> None:
    environment.mark_database(production=True)
    monkeypatch.setenv(environment.OVERRIDE, "Load test INC-4711, approved by the CISO")
    environment.guard("run")
    event = AuditEvent.objects.get(object_type="production-data-override")
    assert event.detail["reason"] == "Load test INC-4711, approved by the CISO"
    assert event.detail["command"] == "run"
    assert "Production data used" in caplog.text


def test_migrate_marks_the_database_from_the_environment() -> None:
    DatabaseMark.objects.all().delete()
    environment.mark_after_migrate()
    assert DatabaseMark.objects.get().production is False


def test_the_cli_refuses_to_start(tmp_path: Path) -> None:
    """The ``trygg`` command itself, on a SQLite database file marked production."""
    database = tmp_path / "copy.sqlite3"
    env = {
        "TRYGG_DATABASE_URL": f"sqlite:///{database}",
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "TRYGG_VAR_DIR": str(tmp_path / "var"),
    }
    trygg = [sys.executable, "-m", "trygg.cli"]
    subprocess.run([*trygg, "migrate", "-v", "0"], env=env, check=True, capture_output=True)
    mark = "from trygg.privacy.environment import mark_database; mark_database(production=True)"
    subprocess.run(
        [*trygg, "manage", "shell", "-c", mark], env=env, check=True, capture_output=True
    )
    refused = subprocess.run([*trygg, "worker"], env=env, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "marked production" in refused.stderr
