"""`trygg autogiro show FILE`: the file as a JSON list, or refused with its errors."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from autogiro import BankAccount, DebitOrder, NewMandate, Opening, write_file


def test_show_prints_every_record_as_json(tmp_path: Path) -> None:
    path = tmp_path / "to_bgc.txt"
    write_file(
        path,
        [
            Opening(file_date=dt.date(2026, 1, 20), customer_number="471117", bankgiro="9912346"),
            NewMandate(
                bankgiro="9912346",
                payer_number="191212121212",
                account=BankAccount("3300", "1212121212"),
                identity="191212121212",
            ),
            DebitOrder(
                bankgiro="9912346",
                payer_number="191212121212",
                amount=Decimal("572.00"),
                payment_date=dt.date(2026, 2, 2),
                period=4,
                reference="OLYCKSFALL 2026",
            ),
        ],
    )
    out = StringIO()
    call_command("autogiro", "show", str(path), stdout=out)
    records = json.loads(out.getvalue())
    assert [r["tk"] for r in records] == ["01", "04", "82"]
    assert records[2]["amount"] == "572.00" and records[2]["payment_date"] == "2026-02-02"


def test_a_malformed_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"01" + b"X" * 78 + b"\r\n")
    with pytest.raises(CommandError, match="refused"):
        call_command("autogiro", "show", str(path), stdout=StringIO())
    assert "line 1" in capsys.readouterr().err


@pytest.mark.django_db
def test_inbox_imports_each_new_file_once_and_names_a_refused_one(
    tmp_path: Path, settings: object
) -> None:
    from types import SimpleNamespace

    from tests.billing.answers import mandate_notices
    from trygg.billing.models import BankgirotFile

    root = tmp_path / "bankgirot"
    inbox = root / "from_bankgirot"
    inbox.mkdir(parents=True)
    settings.TRYGG_BANKGIROT_DIR = root  # type: ignore[attr-defined]
    unknown = SimpleNamespace(
        payer_number="5999999", clearing="3300", account="8112189876", id_number="198112189876"
    )
    mandate_notices(inbox, dt.date(2026, 11, 24), [(unknown, "32")], name="A.MEDAVI")  # type: ignore[list-item]
    (inbox / "B.BROKEN").write_bytes(b"01 not a file from Bankgirot\r\n")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command("autogiro", "inbox", stdout=out, stderr=err)
    assert "Imported A.MEDAVI" in out.getvalue()
    assert "Refused B.BROKEN" in err.getvalue()
    assert BankgirotFile.objects.count() == 1
    (inbox / "B.BROKEN").unlink()
    out = StringIO()
    call_command("autogiro", "inbox", stdout=out)
    assert "Nothing new" in out.getvalue()
    assert BankgirotFile.objects.count() == 1
