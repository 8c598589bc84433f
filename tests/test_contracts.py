"""The import contracts bite: each forbidden import, planted into a copy of the source tree,
breaks the contract that forbids it, and the real tree keeps every contract.

The copy is checked by import-linter itself, with the contracts of pyproject.toml, in one
process that has the copy (not the installed package) on its path; each planted import is
checked alone, against a fresh graph, so one plant cannot hide or cause another's failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[1]

LAYERS = "Domain layers point one way"
PURE = "Pure rules do not import Django, not even through another module"
AUTOGIRO = "The autogiro file library stands alone: it imports nothing of trygg"
CLIENTS = "The one-time password and BankID client libraries stand alone"
DOMAINS = "No domain reaches a simulator, not even through another module"
WIRING = "Only the demo and `trygg run` import the simulators and the demo loaders"
ADAPTERS = (
    "Pages, API routes and commands reach a domain's data only through its services, "
    "selectors and rules"
)
BACK_OFFICE = "The back office of a domain uses its own models, no other domain's"


class Plant(NamedTuple):
    """``module`` (a path under src/: trygg's or the autogiro library's) gets ``line``; the
    contracts in ``breaks`` must break."""

    module: str
    line: str
    breaks: frozenset[str]


PLANTS: dict[str, Plant] = {
    # The four imports the contracts once let through.
    "a rules module imports its models": Plant(
        "trygg/claims/rules.py", "from trygg.claims.models import Claim", frozenset({PURE})
    ),
    "the autogiro library imports billing": Plant(
        "autogiro/writer.py", "from trygg.billing import rules", frozenset({AUTOGIRO})
    ),
    "billing imports a simulator": Plant(
        "trygg/billing/charges.py",
        "from trygg.simulators.bankgirot import Bankgirot",
        frozenset({DOMAINS, WIRING}),
    ),
    "the OTP library imports the business clock": Plant(
        "trygg/identity/otp/totp.py", "from trygg.kernel import clock", frozenset({CLIENTS})
    ),
    # More of the same kinds.
    "money reaches Django through the audit log": Plant(
        "trygg/kernel/money.py", "from trygg.kernel import audit", frozenset({PURE})
    ),
    "a rules module imports Django itself": Plant(
        "trygg/billing/ocr.py", "from django.utils.translation import gettext", frozenset({PURE})
    ),
    "the chart of accounts imports the ledger": Plant(
        "trygg/banking/chart.py", "from trygg.banking import ledger", frozenset({PURE})
    ),
    "the autogiro library imports pure money": Plant(
        "autogiro/fields.py", "from trygg.kernel.money import Money", frozenset({AUTOGIRO})
    ),
    "the autogiro library imports a simulator": Plant(
        "autogiro/reader.py",
        "import trygg.simulators.bankgirot",
        frozenset({AUTOGIRO, DOMAINS, WIRING}),
    ),
    "the BankID client imports identity's rules": Plant(
        "trygg/identity/bankid/client.py", "from trygg.identity import rules", frozenset({CLIENTS})
    ),
    "the OTP library imports the BankID client": Plant(
        "trygg/identity/otp/ocra.py", "from trygg.identity.bankid import qr", frozenset({CLIENTS})
    ),
    "the BankID client imports Django": Plant(
        "trygg/identity/bankid/launch.py",
        "from django.conf import settings",
        frozenset({CLIENTS, PURE}),
    ),
    "the API imports a simulator": Plant(
        "trygg/api/api.py", "from trygg.simulators import bankid", frozenset({DOMAINS, WIRING})
    ),
    "a portal page imports a simulator": Plant(
        "trygg/web/views.py", "from trygg.simulators.bankid import make_server", frozenset({WIRING})
    ),
    "a portal page reaches a simulator through the demo loader": Plant(
        "trygg/web/token_views.py", "from trygg.web import demo_billing", frozenset({WIRING})
    ),
    "a domain's page reaches a simulator through the demo loader": Plant(
        "trygg/banking/views.py",
        "from trygg.web import demo_billing",
        frozenset({LAYERS, DOMAINS, WIRING}),
    ),
    "a domain's page imports the portal shell": Plant(
        "trygg/billing/views.py", "from trygg.web import views", frozenset({LAYERS})
    ),
    "a new app imports a simulator": Plant(
        "trygg/newapp/__init__.py", "import trygg.simulators.bankid", frozenset({WIRING})
    ),
    # Adapters reach a domain's data through its services, selectors and rules.
    "a domain's page queries its own models": Plant(
        "trygg/insurance/views.py",
        "from trygg.insurance.models import Policy",
        frozenset({ADAPTERS}),
    ),
    "a page queries another domain's models": Plant(
        "trygg/claims/views.py", "from trygg.insurance.models import Policy", frozenset({ADAPTERS})
    ),
    "an API route queries its models": Plant(
        "trygg/banking/api.py", "from trygg.banking.models import Payment", frozenset({ADAPTERS})
    ),
    "a command queries its models": Plant(
        "trygg/billing/management/commands/billing.py",
        "from trygg.billing.models import Charge",
        frozenset({ADAPTERS}),
    ),
    "a shell page queries a domain's models": Plant(
        "trygg/web/views.py", "from trygg.billing.models import Mandate", frozenset({ADAPTERS})
    ),
    "a back office reads another domain's models": Plant(
        "trygg/claims/admin.py",
        "from trygg.insurance.models import Policy",
        frozenset({BACK_OFFICE}),
    ),
    "the kernel imports a domain": Plant(
        "trygg/kernel/validation.py", "from trygg.billing import models", frozenset({LAYERS})
    ),
}

# Runs in a fresh interpreter whose path starts with the copy: for each case, plant the line,
# check every contract against a new graph, put the file back; print the broken contracts.
DRIVER = """
import json, sys
from pathlib import Path
from importlinter.application import use_cases
from importlinter.configuration import configure

configure()  # what the lint-imports command does before it reads the contracts
use_cases._register_built_in_contract_types()

config, cases = sys.argv[1], json.loads(sys.argv[2])
options = use_cases.read_user_options(config)
result = {}
for name, (path, line) in cases.items():
    target = Path(path)
    original = target.read_text(encoding="utf-8") if target.exists() else None
    if line:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text((original or "") + "\\n" + line + "\\n", encoding="utf-8")
    try:
        report = use_cases.create_report(options, cache_dir=None)
        result[name] = sorted(
            contract.name for contract, check in report.get_contracts_and_checks()
            if not check.kept
        )
    finally:
        if original is None:
            if line:
                target.unlink()
                target.parent.rmdir()
        else:
            target.write_text(original, encoding="utf-8")
print(json.dumps(result))
"""


@pytest.fixture(scope="module")
def broken_contracts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """For the real tree (``""``) and each plant: the names of the contracts that break."""
    copy = tmp_path_factory.mktemp("contracts")
    shutil.copytree(
        ROOT / "src" / "trygg",
        copy / "src" / "trygg",
        ignore=shutil.ignore_patterns("__pycache__", "locale", "templates", "static", "*.md"),
    )
    shutil.copytree(
        ROOT / "packages" / "autogiro" / "src" / "autogiro",
        copy / "src" / "autogiro",
        ignore=shutil.ignore_patterns("__pycache__", "*.md"),
    )
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    cases = {"": ["src/trygg/__init__.py", ""]}
    cases.update({name: [f"src/{p.module}", p.line] for name, p in PLANTS.items()})
    env = {**os.environ, "PYTHONPATH": str(copy / "src")}
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, "pyproject.toml", json.dumps(cases)],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_real_tree_keeps_every_contract(broken_contracts: dict[str, list[str]]) -> None:
    assert broken_contracts[""] == []


def test_the_copy_is_what_the_contracts_read(broken_contracts: dict[str, list[str]]) -> None:
    """A plant in the copy breaks a contract, so the check did not read the installed tree."""
    assert broken_contracts["billing imports a simulator"]


@pytest.mark.parametrize("name", list(PLANTS))
def test_a_forbidden_import_breaks_its_contract(
    broken_contracts: dict[str, list[str]], name: str
) -> None:
    assert set(broken_contracts[name]) == PLANTS[name].breaks
