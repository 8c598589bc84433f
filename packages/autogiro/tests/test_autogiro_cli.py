"""to_json and the `show` command."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from autogiro import (
    GENAST,
    BankAccount,
    DebitOrder,
    MandateNotice,
    NewMandate,
    Opening,
    ReportOpening,
    show,
    to_json,
)
from autogiro.cli import main
from autogiro_testkit import BANKGIRO, file_bytes, num, rec, report_opening, request_opening


def test_to_json_of_a_payment_order() -> None:
    record = DebitOrder(
        bankgiro=BANKGIRO,
        payer_number="101",
        amount=Decimal("750"),
        payment_date=date(2026, 2, 1),
        period=1,
        repeats=12,
        reference="PREMIE",
        line=3,
    )
    assert to_json(record) == {
        "tk": "82",
        "record": "debit_order",
        "line": 3,
        "payment_date": "2026-02-01",
        "period": 1,
        "period_text": "En gång per månad på den kalenderdag som anges i betalningsposten",
        "repeats": 12,
        "payer_number": "101",
        "amount": "750.00",
        "bankgiro": BANKGIRO,
        "reference": "PREMIE",
    }


def test_to_json_of_genast_accounts_codes_and_times() -> None:
    order = DebitOrder(
        bankgiro=BANKGIRO, payer_number="1", amount=Decimal("0.5"), payment_date=GENAST
    )
    assert to_json(order)["payment_date"] == "GENAST"
    assert to_json(order)["amount"] == "0.50"
    assert to_json(order)["line"] is None
    mandate = NewMandate(
        bankgiro=BANKGIRO, payer_number="1", account=BankAccount("3300", "1212121212")
    )
    assert to_json(mandate)["account"] == {"clearing": "3300", "number": "1212121212"}
    assert to_json(mandate)["identity"] is None
    notice = MandateNotice(
        bankgiro=BANKGIRO,
        payer_number="1",
        account=None,
        identity=None,
        information_code="46",
        comment_code="02",
        notice_date=date(2026, 2, 11),
    )
    data = to_json(notice)
    assert (
        data["information_code_text"] == "Makulering, initierad av betalaren eller betalarens bank"
    )
    assert data["comment_code_text"] == (
        "Medgivandet är makulerat på initiativ av betalaren eller betalarens bank"
    )
    assert data["valid_from"] is None
    opening = ReportOpening(
        file_date=date(2026, 2, 2),
        content="AG-MEDAVI",
        customer_number="471117",
        bankgiro=BANKGIRO,
    )
    assert to_json(opening)["content_text"] == "Medgivandeavisering"
    assert to_json(opening)["file_time"] is None
    json.dumps(to_json(notice))


NOTICES = [
    report_opening("AG-MEDAVI", "20260211"),
    rec("73", {3: num(BANKGIRO, 10), 13: num(103, 16), 62: "04", 64: "32", 66: "20260211"}),
    rec("09", {3: "20260211", 11: "9900", 15: num(1, 7)}),
]


def test_show_prints_a_json_list(tmp_path: Path) -> None:
    path = tmp_path / "medavi.txt"
    path.write_bytes(file_bytes(NOTICES))
    out, err = io.StringIO(), io.StringIO()
    assert show(path, out=out, err=err) == 0
    assert err.getvalue() == ""
    data = json.loads(out.getvalue())
    assert [item["record"] for item in data] == [
        "report_opening",
        "mandate_notice",
        "mandate_notice_closing",
    ]
    assert [item["line"] for item in data] == [1, 2, 3]
    assert data[1]["comment_code_text"] == "Nytt medgivande"
    assert data[1]["notice_date"] == "2026-02-11"


def test_show_refuses_a_file_with_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    bad = [*NOTICES[:2], rec("09", {3: "20260211", 11: "9900", 15: num(2, 7)})]
    path.write_bytes(file_bytes(bad))
    out, err = io.StringIO(), io.StringIO()
    assert show(path, out=out, err=err) == 1
    assert out.getvalue() == ""
    assert "refused, 1 error(s)" in err.getvalue()
    assert "line 3, column 15, field notice_count:" in err.getvalue()
    swedish = io.StringIO()
    assert show(path, out=out, err=swedish, lang="sv") == 1
    assert "rad 3, kolumn 15, fält notice_count: ska vara lika med antalet TK73-poster" in (
        swedish.getvalue()
    )


def test_main_prints_the_errors_in_swedish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(
        file_bytes([*NOTICES[:2], rec("09", {3: "20260211", 11: "9900", 15: num(2, 7)})])
    )
    assert main(["show", str(path), "--lang", "sv"]) == 1
    assert "rad 3, kolumn 15, fält notice_count:" in capsys.readouterr().err


def test_show_of_an_empty_list_and_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "opening.txt"
    path.write_bytes(file_bytes([request_opening()]))
    out = io.StringIO()
    assert show(path, out=out, err=io.StringIO()) == 0
    assert json.loads(out.getvalue())[0]["record"] == "opening"
    err = io.StringIO()
    assert show(tmp_path / "missing.txt", out=io.StringIO(), err=err) == 1
    assert "missing.txt" in err.getvalue()


def test_main_and_module_entry_point(tmp_path: Path) -> None:
    path = tmp_path / "payments.txt"
    path.write_bytes(file_bytes([request_opening()]))
    assert main(["show", str(path)]) == 0
    result = subprocess.run(
        [sys.executable, "-m", "autogiro", "show", str(path)],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0
    assert json.loads(result.stdout.decode("utf-8"))[0]["bankgiro"] == BANKGIRO
    lenient = tmp_path / "short.txt"
    lenient.write_bytes(request_opening().rstrip().encode() + b"\n")
    assert main(["show", str(lenient)]) == 1
    assert main(["show", "--lenient", str(lenient)]) == 0
    example = tmp_path / "example.txt"  # a bankgiro number as in Bankgirot's example files
    example.write_bytes(file_bytes([request_opening(bankgiro="9912345")]))
    assert main(["show", str(example)]) == 1
    assert main(["show", "--no-check-digits", str(example)]) == 0


def test_written_file_shows_the_same_records(tmp_path: Path) -> None:
    from autogiro import read_file, write_file

    records = [
        Opening(file_date=date(2026, 1, 15), customer_number="471117", bankgiro=BANKGIRO),
        DebitOrder(
            bankgiro=BANKGIRO,
            payer_number="191212121212",
            amount=Decimal("572.00"),
            payment_date=date(2026, 2, 2),
            period=4,
            reference="OLYCKSFALL 2026",
        ),
    ]
    path = tmp_path / "to_bgc.txt"
    assert write_file(path, records) == 2
    assert path.read_bytes().endswith(b"\r\n")
    assert read_file(path) == records
