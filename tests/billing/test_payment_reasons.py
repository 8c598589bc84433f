"""What a premium keeps of Bankgirot's payment specification: the status code (the reason is
shown from it), the day, and for a refused debit the file; a paid debit names the file's ledger
transaction, which the file names too. Staff see the same reason and file as before."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client

from autogiro import codes
from tests.backoffice.test_backoffice import _login, _staff
from tests.billing.answers import mandate_notices, old_payment_spec, payment_spec
from tests.billing.conftest import Payer, register, run_on
from trygg.billing.imports import autogiro_import
from trygg.billing.models import BankgirotFile, Charge, Mandate
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM

pytestmark = pytest.mark.django_db

MON_23_NOV = dt.date(2026, 11, 23)
MON_30_NOV = dt.date(2026, 11, 30)
THU_3_DEC = dt.date(2026, 12, 3)
FRI_4_DEC = dt.date(2026, 12, 4)


def _import(path: Path, day: dt.date) -> BankgirotFile:
    with clock.business_date(day):
        return autogiro_import(ctx=SYSTEM, path=path).file


def _ordered(payer: Payer, exchange: Path) -> tuple[Mandate, Charge]:
    mandate = register(payer)
    run_on(MON_23_NOV)
    inbox = exchange / "from_bankgirot"
    inbox.mkdir(parents=True, exist_ok=True)
    _import(mandate_notices(inbox, dt.date(2026, 11, 24), [(mandate, "32")]), dt.date(2026, 11, 24))
    mandate.refresh_from_db()
    run_on(MON_30_NOV)
    first = Charge.objects.filter(policy=payer.policy).order_by("due_date").first()
    assert first is not None and first.state == "ordered"
    return mandate, first


def test_refused_then_paid_keeps_the_code_and_names_the_right_file(
    payer: Payer, exchange: Path
) -> None:
    mandate, charge = _ordered(payer, exchange)
    inbox = exchange / "from_bankgirot"
    refusing = _import(
        payment_spec(
            inbox, THU_3_DEC, [(mandate.payer_number, charge.reference, charge.amount, "1")]
        ),
        THU_3_DEC,
    )
    charge.refresh_from_db()
    assert (charge.state, charge.status_code, charge.status_text) == ("failed", "1", "")
    assert charge.reason == codes.PAYMENT_STATUS_CODES["1"]
    assert charge.settled_by == refusing and charge.settling_file == refusing
    assert charge.settled_on == THU_3_DEC and charge.ledger is None
    assert refusing.ledger is None  # nothing paid, nothing booked

    run_on(THU_3_DEC)  # debited again
    paying = _import(
        payment_spec(
            inbox, FRI_4_DEC, [(mandate.payer_number, charge.reference, charge.amount, "0")]
        ),
        FRI_4_DEC,
    )
    charge.refresh_from_db()
    assert (charge.state, charge.status_code, charge.status_text) == ("paid", "0", "")
    assert charge.reason == codes.PAYMENT_STATUS_CODES["0"]
    # Not the file that refused it before: the file whose ledger transaction the charge names.
    assert charge.settled_by is None and charge.ledger is not None
    assert paying.ledger == charge.ledger and charge.settling_file == paying
    assert charge.settled_on == FRI_4_DEC


def test_a_payment_specification_in_the_old_layout_pays_the_same_way(
    payer: Payer, exchange: Path
) -> None:
    mandate, charge = _ordered(payer, exchange)
    inbox = exchange / "from_bankgirot"
    paying = _import(
        old_payment_spec(
            inbox, THU_3_DEC, [(mandate.payer_number, charge.reference, charge.amount, "0")]
        ),
        THU_3_DEC,
    )
    charge.refresh_from_db()
    assert (charge.state, charge.status_code) == ("paid", "0")
    assert paying.ledger == charge.ledger and charge.settling_file == paying
    assert paying.content == codes.CONTENT_PAYMENT_SPECIFICATION


def test_renewed_balance_check_shows_its_reason_and_settles_nothing(
    payer: Payer, exchange: Path
) -> None:
    mandate, charge = _ordered(payer, exchange)
    inbox = exchange / "from_bankgirot"
    _import(
        payment_spec(
            inbox, THU_3_DEC, [(mandate.payer_number, charge.reference, charge.amount, "9")]
        ),
        THU_3_DEC,
    )
    charge.refresh_from_db()
    assert (charge.state, charge.status_code, charge.status_text) == ("retrying", "9", "")
    assert charge.reason == codes.PAYMENT_STATUS_CODES["9"]
    assert charge.settled_on is None and charge.settling_file is None


def test_a_stored_reason_wins_over_the_code() -> None:
    refunded = Charge(status_code="0", status_text=codes.REFUND_CODES["03"])
    assert refunded.reason == codes.REFUND_CODES["03"]
    assert Charge(status_code="", status_text="").reason == ""
    assert Charge(status_code="2", status_text="").reason == codes.PAYMENT_STATUS_CODES["2"]


def test_back_office_shows_the_reason_and_the_paying_file(payer: Payer, exchange: Path) -> None:
    mandate, charge = _ordered(payer, exchange)
    inbox = exchange / "from_bankgirot"
    paying = _import(
        payment_spec(
            inbox, THU_3_DEC, [(mandate.payer_number, charge.reference, charge.amount, "0")]
        ),
        THU_3_DEC,
    )
    user, device = _staff("billing_clerk", "premie.ett")
    client = Client()
    assert _login(client, user, device).status_code == 302
    listed = client.get("/backoffice/billing/charge/").content.decode()
    assert codes.PAYMENT_STATUS_CODES["0"] in listed
    page = client.get(f"/backoffice/billing/charge/{charge.pk}/change/")
    assert page.status_code == 200
    shown = page.content.decode()
    assert codes.PAYMENT_STATUS_CODES["0"] in shown
    assert f"/backoffice/billing/bankgirotfile/{paying.pk}/change/" in shown
    assert paying.name in shown


def test_migration_links_files_imported_before_to_their_ledger_transaction(
    payer: Payer, exchange: Path
) -> None:
    mandate, charge = _ordered(payer, exchange)
    inbox = exchange / "from_bankgirot"
    paying = _import(
        payment_spec(
            inbox, THU_3_DEC, [(mandate.payer_number, charge.reference, charge.amount, "0")]
        ),
        THU_3_DEC,
    )
    entry = paying.ledger
    assert entry is not None
    # As the import wrote it before: the charge names the file, the file no transaction.
    Charge.objects.filter(pk=charge.pk).update(settled_by=paying)
    BankgirotFile.objects.filter(pk=paying.pk).update(ledger=None)
    migration = importlib.import_module("trygg.billing.migrations.0005_paid_rows_stay_small")
    migration._files_name_their_ledger(apps, None)
    paying.refresh_from_db()
    charge.refresh_from_db()
    assert paying.ledger == entry and charge.settling_file == paying
