"""The local Bankgirot: files written with the autogiro library go in, Bankgirot's answers come
out and are read back with the same library.

Calendar used (June 2026): Mon 1, Tue 2, Fri 5, Mon 8 ... Fri 19 is Midsummer Eve and Sat 20
Midsummer Day, so the next bank day after Thu 18 is Mon 22."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import time
from decimal import Decimal
from pathlib import Path

import pytest

from autogiro import (
    GENAST,
    AllPaymentsMoved,
    AmendmentsClosing,
    BankAccount,
    CancelPayment,
    CreditOrder,
    DebitOrder,
    DebitPayment,
    Deposit,
    MandateDeletion,
    MandateNotice,
    MandateNoticeClosing,
    MoveAllPayments,
    MovePayment,
    NewMandate,
    Opening,
    PayerNumberChange,
    PaymentCancelled,
    PaymentCancelledMandateDeleted,
    PaymentDate,
    PaymentMoved,
    PaymentSpecificationClosing,
    Record,
    Refund,
    RefundWithdrawal,
    RejectedDebit,
    RejectedPaymentsClosing,
    ReportedPayment,
    ReportOpening,
    codes,
    read_file,
    write_bytes,
    write_file,
)
from trygg.kernel.bankdays import calendar_for
from trygg.simulators.bankgirot import (
    Bankgirot,
    BankgirotThread,
    Scenario,
    ScenarioError,
    serve_in_thread,
)
from trygg.simulators.bankgirot.__main__ import main
from trygg.simulators.bankgirot.schedule import Schedule

BANKGIRO = "9912346"
CUSTOMER = "471117"
ACCOUNT = BankAccount("3300", "1212121212")

MON_1 = dt.date(2026, 6, 1)
TUE_2 = dt.date(2026, 6, 2)
FRI_5 = dt.date(2026, 6, 5)
MON_8 = dt.date(2026, 6, 8)
TUE_9 = dt.date(2026, 6, 9)
WED_10 = dt.date(2026, 6, 10)
THU_11 = dt.date(2026, 6, 11)
FRI_12 = dt.date(2026, 6, 12)
SAT_13 = dt.date(2026, 6, 13)
MON_15 = dt.date(2026, 6, 15)
TUE_16 = dt.date(2026, 6, 16)
MIDSUMMER_EVE = dt.date(2026, 6, 19)
MON_22 = dt.date(2026, 6, 22)

NAME = re.compile(r"^BFEP\.IAGAG\.K0\d{6}\.D\d{6}\.T\d{6}\.(BETSPEC|MEDAVI|AVVISADE|MAKANDR)$")


# -- helpers -------------------------------------------------------------------------------------


def send(root: Path, name: str, day: dt.date, *records: Record) -> Path:
    """A file from trygg to Bankgirot, written by the library."""
    folder = root / "to_bankgirot"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    opening = Opening(file_date=day, customer_number=CUSTOMER, bankgiro=BANKGIRO)
    write_file(path, [opening, *records])
    return path


def new_mandate(payer: str, identity: str = "191212121212") -> NewMandate:
    return NewMandate(bankgiro=BANKGIRO, payer_number=payer, account=ACCOUNT, identity=identity)


def debit(
    payer: str,
    amount: str,
    on: PaymentDate,
    reference: str,
    *,
    period: int = 0,
    repeats: int | None = None,
) -> DebitOrder:
    return DebitOrder(
        bankgiro=BANKGIRO,
        payer_number=payer,
        amount=Decimal(amount),
        payment_date=on,
        period=period,
        repeats=repeats,
        reference=reference,
    )


def scenario(root: Path, **data: object) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "scenario.json").write_text(json.dumps(data), encoding="utf-8")


def files_of(paths: list[Path], content: str) -> dict[dt.date, list[Record]]:
    """The records of each written file with ``content``, by file date (one file per date)."""
    found: dict[dt.date, list[Record]] = {}
    for path in paths:
        assert NAME.match(path.name), path.name
        records = read_file(path)  # validated again, closing totals included
        opening = records[0]
        assert isinstance(opening, ReportOpening)
        assert (opening.customer_number, opening.bankgiro) == (CUSTOMER, BANKGIRO)
        if opening.content == content:
            assert opening.file_date not in found
            found[opening.file_date] = records
    return found


def specs(paths: list[Path]) -> dict[dt.date, list[Record]]:
    return files_of(paths, codes.CONTENT_PAYMENT_SPECIFICATION)


def notices(paths: list[Path]) -> dict[dt.date, list[MandateNotice]]:
    return {
        day: [r for r in records if isinstance(r, MandateNotice)]
        for day, records in files_of(paths, codes.CONTENT_MANDATE_NOTICES).items()
    }


def payments(records: list[Record]) -> list[tuple[str, str, Decimal, str]]:
    return [
        (r.payer_number, r.reference, r.amount, r.status)
        for r in records
        if isinstance(r, ReportedPayment)
    ]


def statuses(paths: list[Path], reference: str) -> dict[dt.date, str]:
    """Status of the payment ``reference`` in each day's specification."""
    return {
        day: r.status
        for day, records in specs(paths).items()
        for r in records
        if isinstance(r, ReportedPayment) and r.reference == reference
    }


def with_mandate(root: Path, payer: str = "101") -> list[Path]:
    """A mandate sent on Monday 1 June, created on Tuesday 2 June."""
    send(root, "mandate.txt", MON_1, new_mandate(payer))
    return Bankgirot(root).process(TUE_2)


# -- mandates and payments -----------------------------------------------------------------------


def test_mandate_created_then_payment_approved_on_its_date(tmp_path: Path) -> None:
    send(
        tmp_path,
        "AG_471117_20260601_1.txt",
        MON_1,
        new_mandate("101"),
        debit("101", "572.00", FRI_5, "P-2026-001"),
        debit("101", "28.50", FRI_5, "P-2026-002"),
    )
    written = Bankgirot(tmp_path).process(FRI_5)

    assert [p.parent.name for p in written] == ["from_bankgirot"] * 2
    (notice,) = notices(written)[TUE_2]
    assert notice.payer_number == "101"
    assert notice.account == ACCOUNT
    assert notice.identity == "191212121212"
    assert (notice.information_code, notice.comment_code) == ("04", "32")
    assert notice.valid_from == TUE_2
    spec = specs(written)[FRI_5]
    assert payments(spec) == [
        ("101", "P-2026-001", Decimal("572.00"), "0"),
        ("101", "P-2026-002", Decimal("28.50"), "0"),
    ]
    deposit = next(r for r in spec if isinstance(r, Deposit))
    assert (deposit.approved_count, deposit.approved_amount) == (2, Decimal("600.50"))
    closing = spec[-1]
    assert isinstance(closing, PaymentSpecificationClosing)
    assert (closing.deposit_count, closing.debit_count, closing.file_date) == (1, 2, FRI_5)
    opening = spec[0]
    assert isinstance(opening, ReportOpening)
    assert opening.content == "BET. SPEC & STOPP TK"
    assert opening.file_time == dt.time(6, 0, 0)


def test_insufficient_funds_is_reported_and_not_counted(tmp_path: Path) -> None:
    scenario(tmp_path, payments={"101": ["insufficient_funds", "approved"]})
    send(
        tmp_path,
        "orders.txt",
        MON_1,
        new_mandate("101"),
        debit("101", "300.00", FRI_5, "JUNE"),
        debit("101", "300.00", MON_8, "JUNE-2"),
    )
    written = Bankgirot(tmp_path).process(MON_8)

    first, second = specs(written)[FRI_5], specs(written)[MON_8]
    assert payments(first) == [("101", "JUNE", Decimal("300.00"), "1")]
    deposit = next(r for r in first if isinstance(r, Deposit))
    assert (deposit.approved_count, deposit.approved_amount) == (0, Decimal(0))
    closing = first[-1]
    assert isinstance(closing, PaymentSpecificationClosing)
    assert closing.debit_count == 0
    assert payments(second) == [("101", "JUNE-2", Decimal("300.00"), "0")]  # the list moves on


def test_renewed_balance_check_ends_approved_on_a_later_bank_day(tmp_path: Path) -> None:
    scenario(
        tmp_path,
        payments={"101": ["renewed_balance_check", "renewed_balance_check", "approved"]},
    )
    send(tmp_path, "orders.txt", MON_1, new_mandate("101"), debit("101", "450.00", FRI_5, "R1"))
    written = Bankgirot(tmp_path).process(MON_15)

    assert statuses(written, "R1") == {FRI_5: "9", MON_8: "9", TUE_9: "0"}
    counted = {}
    for day, records in specs(written).items():
        closing = records[-1]
        assert isinstance(closing, PaymentSpecificationClosing)
        counted[day] = closing.debit_count
    assert counted == {FRI_5: 0, MON_8: 0, TUE_9: 1}


def test_renewed_balance_check_gives_up_after_three_more_bank_days(tmp_path: Path) -> None:
    scenario(tmp_path, fail_suffixes={"02": "renewed_balance_check"})
    send(tmp_path, "orders.txt", MON_1, new_mandate("102"), debit("102", "99.00", FRI_5, "R2"))
    written = Bankgirot(tmp_path).process(MON_15)

    assert statuses(written, "R2") == {FRI_5: "9", MON_8: "9", TUE_9: "9", WED_10: "1"}


def test_closed_account_fails_the_payment_and_the_bank_deletes_the_mandate(
    tmp_path: Path,
) -> None:
    scenario(tmp_path, closed_accounts=["0101"])
    send(
        tmp_path,
        "orders.txt",
        MON_1,
        new_mandate("101"),
        debit("101", "200.00", FRI_5, "JUNE"),
        debit("101", "200.00", dt.date(2026, 7, 6), "JULY"),
    )
    sim = Bankgirot(tmp_path)
    written = sim.process(FRI_5)

    assert payments(specs(written)[FRI_5]) == [("101", "JUNE", Decimal("200.00"), "2")]
    (deleted,) = notices(written)[FRI_5]
    assert (deleted.information_code, deleted.comment_code) == ("46", "02")
    assert deleted.valid_from == FRI_5
    assert deleted.account == ACCOUNT
    answers = files_of(written, codes.CONTENT_AMENDMENTS)[FRI_5]
    (cancelled,) = [r for r in answers if isinstance(r, PaymentCancelledMandateDeleted)]
    assert (cancelled.reference, cancelled.payment_date, cancelled.comment_code) == (
        "JULY",
        dt.date(2026, 7, 6),
        "12",
    )
    # The order for the closed account is refused from now on, with "account closed".
    send(tmp_path, "august.txt", MON_8, debit("101", "200.00", dt.date(2026, 8, 5), "AUG"))
    later = sim.process(dt.date(2026, 8, 31))
    rejected = files_of(later, codes.CONTENT_REJECTED_PAYMENTS)[TUE_9]
    assert [(r.reference, r.comment_code) for r in rejected if isinstance(r, RejectedDebit)] == [
        ("AUG", "02")
    ]
    assert specs(later) == {}
    assert sim.state().mandates[f"{BANKGIRO}/101"].status == "deleted"


def test_order_without_mandate_is_rejected_with_01(tmp_path: Path) -> None:
    send(tmp_path, "orders.txt", MON_1, debit("555", "120.00", FRI_5, "NOMANDATE"))
    written = Bankgirot(tmp_path).process(FRI_5)

    rejected = files_of(written, codes.CONTENT_REJECTED_PAYMENTS)[TUE_2]
    (record,) = [r for r in rejected if isinstance(r, RejectedDebit)]
    assert (record.payer_number, record.reference, record.amount) == (
        "555",
        "NOMANDATE",
        Decimal("120.00"),
    )
    assert (record.payment_date, record.comment_code) == (FRI_5, "01")
    closing = rejected[-1]
    assert isinstance(closing, RejectedPaymentsClosing)
    assert (closing.debit_count, closing.debit_total) == (1, Decimal("120.00"))
    assert specs(written) == {}


def test_passed_payment_date_is_rejected_with_13(tmp_path: Path) -> None:
    sim = Bankgirot(tmp_path)
    with_mandate(tmp_path)
    send(
        tmp_path,
        "late.txt",
        WED_10,
        debit("101", "75.00", MON_8, "PAST"),
        debit("101", "75.00", WED_10, "TODAY"),  # too late: must reach Bankgirot the day before
        debit("101", "75.00", THU_11, "OK"),
    )
    written = sim.process(THU_11)

    rejected = files_of(written, codes.CONTENT_REJECTED_PAYMENTS)[THU_11]
    assert [(r.reference, r.comment_code) for r in rejected if isinstance(r, RejectedDebit)] == [
        ("PAST", "13"),
        ("TODAY", "13"),
    ]
    assert statuses(written, "OK") == {THU_11: "0"}


def test_amount_above_the_maximum_is_rejected_with_24(tmp_path: Path) -> None:
    scenario(tmp_path, max_amount="1000.00")
    send(
        tmp_path,
        "orders.txt",
        MON_1,
        new_mandate("101"),
        debit("101", "1000.01", FRI_5, "BIG"),
        debit("101", "1000.00", FRI_5, "MAX"),
    )
    written = Bankgirot(tmp_path).process(FRI_5)

    rejected = files_of(written, codes.CONTENT_REJECTED_PAYMENTS)[TUE_2]
    assert [(r.reference, r.comment_code) for r in rejected if isinstance(r, RejectedDebit)] == [
        ("BIG", "24")
    ]
    assert statuses(written, "MAX") == {FRI_5: "0"}


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("03", "Kontoslaget är inte godkänt för Autogiro"),
        ("05", "Felaktiga bankkonto- eller personuppgifter"),
        ("20", "Felaktigt person-/organisationsnummer"),
    ],
)
def test_scenario_refuses_a_mandate_and_its_orders(tmp_path: Path, code: str, text: str) -> None:
    scenario(tmp_path, mandates={"101": code})
    send(tmp_path, "m.txt", MON_1, new_mandate("101"), debit("101", "10.00", FRI_5, "X"))
    written = Bankgirot(tmp_path).process(FRI_5)

    (notice,) = notices(written)[TUE_2]
    assert notice.comment_code == code
    assert codes.MANDATE_COMMENT_CODES[notice.comment_code].startswith(text)
    assert notice.valid_from is None
    rejected = files_of(written, codes.CONTENT_REJECTED_PAYMENTS)[TUE_2]
    assert [r.comment_code for r in rejected if isinstance(r, RejectedDebit)] == ["01"]


def test_a_second_mandate_for_the_same_payer_gets_10(tmp_path: Path) -> None:
    sim = Bankgirot(tmp_path)
    with_mandate(tmp_path)
    send(tmp_path, "again.txt", TUE_2, new_mandate("101"))
    written = sim.process(dt.date(2026, 6, 3))

    (notice,) = notices(written)[dt.date(2026, 6, 3)]
    assert notice.comment_code == "10"


# -- incoming files ------------------------------------------------------------------------------


def test_malformed_file_is_refused_whole_and_nothing_is_registered(tmp_path: Path) -> None:
    records = [
        Opening(file_date=MON_1, customer_number=CUSTOMER, bankgiro=BANKGIRO),
        new_mandate("101"),
        debit("101", "100.00", FRI_5, "BROKEN"),
    ]
    lines = write_bytes(records).split(b"\r\n")
    lines[2] = lines[2][:20] + b"AB" + lines[2][22:]  # letters in the payer number
    inbox = tmp_path / "to_bankgirot"
    inbox.mkdir(parents=True)
    (inbox / "broken.txt").write_bytes(b"\r\n".join(lines))
    sim = Bankgirot(tmp_path)

    assert sim.process(MON_15) == []

    refused = tmp_path / "to_bankgirot" / "refused"
    assert (refused / "broken.txt").read_bytes() == (inbox / "broken.txt").read_bytes()
    errors = (refused / "broken.txt.errors.txt").read_text(encoding="utf-8")
    assert "line 3, column 16, field payer_number: must be numeric" in errors
    state = sim.state()
    assert state.mandates == {} and state.orders == []
    assert [f.status for f in state.files.values()] == ["refused"]
    assert sim.process(MON_22) == []  # and it stays refused


def test_a_file_from_bankgirot_is_not_accepted_as_a_request(tmp_path: Path) -> None:
    inbox = tmp_path / "to_bankgirot"
    inbox.mkdir(parents=True)
    write_file(
        inbox / "wrong-way.txt",
        [
            ReportOpening(
                file_date=MON_1, content="AG-MEDAVI", customer_number=CUSTOMER, bankgiro=BANKGIRO
            ),
            MandateNoticeClosing(file_date=MON_1, notice_count=0),
        ],
    )
    assert Bankgirot(tmp_path).process(FRI_5) == []
    errors = (inbox / "refused" / "wrong-way.txt.errors.txt").read_text(encoding="utf-8")
    assert "not a file to Bankgirot" in errors


def test_the_same_file_dropped_twice_is_processed_once(tmp_path: Path) -> None:
    first = send(
        tmp_path, "run-1.txt", MON_1, new_mandate("101"), debit("101", "50.00", FRI_5, "ONCE")
    )
    shutil.copy(first, first.with_name("run-1-copy.txt"))
    sim = Bankgirot(tmp_path)
    written = sim.process(TUE_2)
    shutil.copy(first, first.with_name("run-1-again.txt"))
    written += sim.process(FRI_5)

    assert len(notices(written)[TUE_2]) == 1
    assert statuses(written, "ONCE") == {FRI_5: "0"}
    assert payments(specs(written)[FRI_5]) == [("101", "ONCE", Decimal("50.00"), "0")]
    assert sorted(f.status for f in sim.state().files.values()) == [
        "applied",
        "duplicate",
        "duplicate",
    ]


def test_processing_again_changes_nothing(tmp_path: Path) -> None:
    send(tmp_path, "orders.txt", MON_1, new_mandate("101"), debit("101", "50.00", FRI_5, "X"))
    sim = Bankgirot(tmp_path)
    assert len(sim.process(FRI_5)) == 2
    assert sim.process(FRI_5) == []
    assert Bankgirot(tmp_path).process(FRI_5) == []  # a new instance reads the state file


def test_a_file_dated_after_until_waits_for_its_day(tmp_path: Path) -> None:
    sim = Bankgirot(tmp_path)
    with_mandate(tmp_path)
    send(tmp_path, "future.txt", MON_8, debit("101", "10.00", GENAST, "SOON"))
    assert sim.process(FRI_5) == []
    written = sim.process(TUE_9)
    assert statuses(written, "SOON") == {TUE_9: "0"}  # GENAST: the next bank day


# -- payment dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "paid"),
    [(MIDSUMMER_EVE, MON_22), (SAT_13, MON_15)],
    ids=["midsummer-eve", "saturday"],
)
def test_payment_due_on_a_non_bank_day_is_paid_on_the_next_bank_day(
    tmp_path: Path, due: dt.date, paid: dt.date
) -> None:
    send(tmp_path, "orders.txt", MON_1, new_mandate("101"), debit("101", "99.00", due, "MOVED"))
    written = Bankgirot(tmp_path).process(MON_22)

    spec = specs(written)
    assert set(spec) == {paid}
    (payment,) = [r for r in spec[paid] if isinstance(r, DebitPayment)]
    assert (payment.payment_date, payment.status) == (paid, "0")
    assert not any(f".D{due:%y%m%d}." in path.name for path in written)


def test_monthly_order_on_the_31st_follows_short_months_and_bank_days(tmp_path: Path) -> None:
    send(
        tmp_path,
        "orders.txt",
        dt.date(2026, 1, 12),
        new_mandate("101"),
        debit("101", "100.00", dt.date(2026, 1, 31), "MONTHLY", period=1, repeats=3),
    )
    written = Bankgirot(tmp_path).process(dt.date(2026, 6, 30))

    # 31 Jan is a Saturday -> Mon 2 Feb; 28 Feb is a Saturday -> Mon 2 Mar; 31 Mar (Tue).
    assert statuses(written, "MONTHLY") == {
        dt.date(2026, 2, 2): "0",
        dt.date(2026, 3, 2): "0",
        dt.date(2026, 3, 31): "0",
    }
    (payment,) = [r for r in specs(written)[dt.date(2026, 3, 2)] if isinstance(r, DebitPayment)]
    assert (payment.period, payment.repeats) == (1, 3)


def test_last_bank_day_order_until_further_notice(tmp_path: Path) -> None:
    send(
        tmp_path,
        "orders.txt",
        MON_1,
        new_mandate("101"),
        debit("101", "100.00", MON_1, "ULTIMO", period=6),  # quarterly, last bank day
    )
    written = Bankgirot(tmp_path).process(dt.date(2027, 1, 31))

    # 30 June (Tue); 30 September (Wed); 31 December is New Year's Eve -> 30 December (Wed).
    assert statuses(written, "ULTIMO") == {
        dt.date(2026, 6, 30): "0",
        dt.date(2026, 9, 30): "0",
        dt.date(2026, 12, 30): "0",
    }


def test_schedules() -> None:
    cal = calendar_for("SE")
    yearly = Schedule(dt.date(2024, 2, 29), 4, None)
    assert [yearly.nominal(i, cal) for i in range(3)] == [
        dt.date(2024, 2, 29),
        dt.date(2025, 2, 28),
        dt.date(2026, 2, 28),
    ]
    assert yearly.actual(2, cal) == dt.date(2026, 3, 2)
    assert yearly.nominal(11, cal) is None  # until further notice: ten years at most
    half = Schedule(dt.date(2026, 1, 15), 7, 2)
    assert [half.nominal(i, cal) for i in range(3)] == [
        dt.date(2026, 1, 30),
        dt.date(2026, 7, 31),
        None,
    ]
    assert Schedule(dt.date(2026, 6, 5), 0, None).nominal(1, cal) is None


# -- cancellations and deletions -----------------------------------------------------------------


def test_mandate_deletion_cancels_pending_payments(tmp_path: Path) -> None:
    send(
        tmp_path,
        "orders.txt",
        MON_1,
        new_mandate("101"),
        debit("101", "80.00", MON_15, "MID"),
        debit("101", "80.00", MON_1 + dt.timedelta(days=30), "MONTHLY", period=1),
    )
    sim = Bankgirot(tmp_path)
    sim.process(FRI_5)
    send(tmp_path, "delete.txt", MON_8, MandateDeletion(bankgiro=BANKGIRO, payer_number="101"))
    written = sim.process(dt.date(2026, 8, 31))

    (notice,) = notices(written)[TUE_9]
    assert (notice.information_code, notice.comment_code) == ("03", "33")
    assert notice.valid_from == TUE_9
    answers = files_of(written, codes.CONTENT_AMENDMENTS)[TUE_9]
    cancelled = [r for r in answers if isinstance(r, PaymentCancelledMandateDeleted)]
    assert sorted((r.reference, r.comment_code) for r in cancelled) == [
        ("MID", "12"),
        ("MONTHLY", "12"),
    ]
    closing = answers[-1]
    assert isinstance(closing, AmendmentsClosing)
    assert (closing.debit_count, closing.debit_total) == (2, Decimal("160.00"))
    assert specs(written) == {}
    assert sim.state().orders == []


def test_deleting_an_unknown_mandate_answers_04(tmp_path: Path) -> None:
    send(tmp_path, "delete.txt", MON_1, MandateDeletion(bankgiro=BANKGIRO, payer_number="404"))
    (notice,) = notices(Bankgirot(tmp_path).process(TUE_2))[TUE_2]
    assert (notice.payer_number, notice.comment_code) == ("404", "04")


def test_cancelling_one_payment(tmp_path: Path) -> None:
    send(
        tmp_path,
        "orders.txt",
        MON_1,
        new_mandate("101"),
        debit("101", "250.00", MON_15, "STOP-ME"),
        debit("101", "250.00", TUE_16, "KEEP-ME"),
    )
    sim = Bankgirot(tmp_path)
    sim.process(FRI_5)
    send(
        tmp_path,
        "stop.txt",
        WED_10,
        CancelPayment(
            bankgiro=BANKGIRO,
            payer_number="101",
            payment_date=MON_15,
            amount=Decimal("250.00"),
            payment_type="82",
            reference="STOP-ME",
        ),
        CancelPayment(
            bankgiro=BANKGIRO,
            payer_number="101",
            payment_date=MON_15,
            amount=Decimal("999.00"),
            payment_type="82",
            reference="NO-SUCH",
        ),
    )
    written = sim.process(TUE_16)

    answers = files_of(written, codes.CONTENT_AMENDMENTS)[THU_11]
    replies = [r for r in answers if isinstance(r, PaymentCancelled)]
    assert [(r.reference, r.comment_code, r.successful) for r in replies] == [
        ("STOP-ME", "12", True),
        ("NO-SUCH", "13", False),
    ]
    assert replies[0].reference_marker == "REFERENS"
    closing = answers[-1]
    assert isinstance(closing, AmendmentsClosing)
    assert (closing.debit_count, closing.debit_total) == (1, Decimal("250.00"))
    assert set(specs(written)) == {TUE_16}
    assert statuses(written, "KEEP-ME") == {TUE_16: "0"}
    assert any("no such payment" in note.text for note in sim.state().notes)


def test_cancelling_one_occurrence_of_a_monthly_order(tmp_path: Path) -> None:
    send(
        tmp_path,
        "orders.txt",
        MON_1,
        new_mandate("101"),
        debit("101", "100.00", MON_15, "MONTHLY", period=1, repeats=3),
    )
    sim = Bankgirot(tmp_path)
    sim.process(TUE_2)
    send(
        tmp_path,
        "stop-july.txt",
        MON_8,
        CancelPayment(
            bankgiro=BANKGIRO,
            payer_number="101",
            payment_date=dt.date(2026, 7, 15),
            amount=Decimal("100.00"),
            payment_type="82",
        ),
    )
    written = sim.process(dt.date(2026, 9, 30))
    assert statuses(written, "MONTHLY") == {MON_15: "0", dt.date(2026, 8, 17): "0"}


def test_moving_one_payment_and_all_payments(tmp_path: Path) -> None:
    send(
        tmp_path,
        "orders.txt",
        MON_1,
        new_mandate("101"),
        new_mandate("102"),
        debit("101", "10.00", MON_15, "ONE"),
        debit("102", "20.00", MON_15, "TWO"),
        debit("102", "30.00", MON_15, "EVERY", period=1),
    )
    sim = Bankgirot(tmp_path)
    sim.process(TUE_2)
    send(
        tmp_path,
        "move.txt",
        FRI_5,
        MovePayment(
            bankgiro=BANKGIRO,
            payer_number="101",
            payment_date=MON_15,
            amount=Decimal("10.00"),
            payment_type="82",
            new_date=TUE_16,
            reference="ONE",
        ),
        MoveAllPayments(bankgiro=BANKGIRO, new_date=MON_22),
    )
    written = sim.process(MON_22)

    answers = files_of(written, codes.CONTENT_AMENDMENTS)[MON_8]
    moved = [r for r in answers if isinstance(r, PaymentMoved)]
    assert [(r.reference, r.new_date, r.comment_code) for r in moved] == [("ONE", TUE_16, "14")]
    everything = [r for r in answers if isinstance(r, AllPaymentsMoved)]
    assert [(r.comment_code, r.payment_count, r.payer_number, r.new_date) for r in everything] == [
        ("15", None, "102", MON_22),  # self-renewing: not moved
        ("14", 2, None, MON_22),  # one answer for the change, with the number of payments
    ]
    assert everything[0].reference == "EVERY"
    assert statuses(written, "ONE") == {MON_22: "0"}  # moved twice: the last change wins
    assert statuses(written, "TWO") == {MON_22: "0"}
    assert statuses(written, "EVERY") == {MON_15: "0"}


# -- scenario extras -----------------------------------------------------------------------------


def test_refund_of_an_approved_debit(tmp_path: Path) -> None:
    scenario(tmp_path, refunds={"101": "03"})
    send(tmp_path, "orders.txt", MON_1, new_mandate("101"), debit("101", "640.00", FRI_5, "PAID"))
    written = Bankgirot(tmp_path).process(MON_8)

    spec = specs(written)[MON_8]
    section = next(r for r in spec if isinstance(r, RefundWithdrawal))
    (refund,) = [r for r in spec if isinstance(r, Refund)]
    assert (section.approved_count, section.approved_amount) == (1, Decimal("640.00"))
    assert (refund.reference, refund.amount, refund.refund_code) == (
        "PAID",
        Decimal("640.00"),
        "03",
    )
    assert (refund.payment_date, refund.refund_date) == (FRI_5, MON_8)
    closing = spec[-1]
    assert isinstance(closing, PaymentSpecificationClosing)
    assert (closing.refund_withdrawal_count, closing.refund_count, closing.debit_count) == (
        1,
        1,
        0,
    )


def test_credit_orders_are_paid_in_their_own_section(tmp_path: Path) -> None:
    send(
        tmp_path,
        "orders.txt",
        MON_1,
        new_mandate("101"),
        debit("101", "100.00", FRI_5, "DEBIT"),
        CreditOrder(
            bankgiro=BANKGIRO,
            payer_number="101",
            amount=Decimal("25.00"),
            payment_date=FRI_5,
            reference="CREDIT",
        ),
    )
    spec = specs(Bankgirot(tmp_path).process(FRI_5))[FRI_5]
    assert [r.TK for r in spec] == ["01", "15", "82", "16", "32", "09"]
    closing = spec[-1]
    assert isinstance(closing, PaymentSpecificationClosing)
    assert (closing.debit_count, closing.credit_count, closing.withdrawal_count) == (1, 1, 1)


def test_change_of_payer_number_moves_mandate_and_orders(tmp_path: Path) -> None:
    send(tmp_path, "orders.txt", MON_1, new_mandate("101"), debit("101", "5.00", MON_15, "PN"))
    sim = Bankgirot(tmp_path)
    sim.process(TUE_2)
    send(
        tmp_path,
        "change.txt",
        FRI_5,
        PayerNumberChange(
            bankgiro=BANKGIRO,
            payer_number="101",
            new_bankgiro=BANKGIRO,
            new_payer_number="9101",
        ),
    )
    written = sim.process(MON_15)
    (notice,) = notices(written)[MON_8]
    assert (notice.payer_number, notice.information_code, notice.comment_code) == (
        "9101",
        "05",
        "32",
    )
    assert payments(specs(written)[MON_15]) == [("9101", "PN", Decimal("5.00"), "0")]


def test_scenario_is_checked() -> None:
    assert Scenario.from_dict({}).outcome("1", 0) == "approved"
    rules = Scenario.from_dict(
        {
            "payments": {"0042": "insufficient_funds"},
            "fail_suffixes": {"9": "renewed_balance_check", "99": ["closed_account"]},
        }
    )
    assert rules.outcome("42", 5) == "insufficient_funds"
    assert rules.outcome("1099", 0) == "closed_account"  # the longest suffix wins
    assert rules.outcome("1009", 0) == "renewed_balance_check"
    assert rules.outcome("1000", 0) == "approved"
    with pytest.raises(ScenarioError, match="unknown outcome 'broke'"):
        Scenario.from_dict({"payments": {"1": ["broke"]}})
    with pytest.raises(ScenarioError, match="unknown code"):
        Scenario.from_dict({"mandates": {"1": "77"}})
    with pytest.raises(ScenarioError, match="unknown keys"):
        Scenario.from_dict({"payment": {}})


# -- state, command line, background thread ------------------------------------------------------


def test_state_is_written_atomically_as_json(tmp_path: Path) -> None:
    send(tmp_path, "orders.txt", MON_1, new_mandate("101"), debit("101", "1.00", MON_15, "S"))
    Bankgirot(tmp_path).process(TUE_2)
    data = json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))
    assert data["last_day"] == "2026-06-02"
    assert data["mandates"][f"{BANKGIRO}/101"]["account"] == "3300-1212121212"
    assert data["orders"][0]["amount"] == "1.00"
    assert data["orders"][0]["due"] == "2026-06-15"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_command_line_processes_once_and_prints_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    send(tmp_path, "orders.txt", MON_1, new_mandate("101"), debit("101", "1.00", FRI_5, "CLI"))
    assert main(["--root", str(tmp_path), "--until", "2026-06-05"]) == 0
    printed = capsys.readouterr().out.split()
    assert [Path(line).name.rsplit(".", 1)[1] for line in printed] == ["MEDAVI", "BETSPEC"]
    assert all(Path(line).exists() for line in printed)


def test_command_line_reports_a_broken_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario(tmp_path, payments={"1": "lucky"})
    assert main(["--root", str(tmp_path), "--until", "2026-06-05"]) == 2
    assert "unknown outcome 'lucky'" in capsys.readouterr().err


def test_serve_in_thread_answers_files_as_they_come(tmp_path: Path) -> None:
    thread = serve_in_thread(tmp_path, 0.05, today=lambda: TUE_2)
    assert isinstance(thread, BankgirotThread)
    try:
        assert thread.daemon and thread.is_alive()
        send(tmp_path, "orders.txt", MON_1, new_mandate("101"))
        outbox = tmp_path / "from_bankgirot"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not list(outbox.glob("*.MEDAVI")):
            time.sleep(0.05)
        (path,) = outbox.glob("*.MEDAVI")
        records = read_file(path)
        assert isinstance(records[1], MandateNotice) and records[1].comment_code == "32"
    finally:
        thread.stop(5)
    assert not thread.is_alive()


def test_written_files_read_back_byte_for_byte(tmp_path: Path) -> None:
    send(tmp_path, "orders.txt", MON_1, new_mandate("101"), debit("101", "3.00", FRI_5, "B"))
    for path in Bankgirot(tmp_path).process(FRI_5):
        data = path.read_bytes()
        assert data.endswith(b"\r\n")
        assert all(len(line) == 80 for line in data.split(b"\r\n")[:-1])
        assert write_bytes(read_file(path)) == data
        assert io.BytesIO(data).read(2) == b"01"
