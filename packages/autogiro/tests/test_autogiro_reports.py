"""Table tests: files from Bankgirot, built record by record from positions."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from autogiro import (
    AllPaymentsCancelled,
    AllPaymentsMoved,
    AmendmentsClosing,
    BankAccount,
    CreditPayment,
    DebitPayment,
    Deposit,
    InternetMandate,
    InternetMandateAddress,
    InternetMandateClosing,
    InternetMandateInformation,
    InternetMandateName,
    InternetMandateOpening,
    InternetMandatePostalAddress,
    MandateNotice,
    MandateNoticeClosing,
    PayerPaymentsOnDateCancelled,
    PaymentCancelled,
    PaymentCancelledByPayer,
    PaymentCancelledMandateDeleted,
    PaymentMoved,
    PaymentSpecificationClosing,
    Refund,
    RefundWithdrawal,
    RejectedCredit,
    RejectedDebit,
    RejectedPaymentsClosing,
    ReportOpening,
    Withdrawal,
    read_bytes,
    write_bytes,
)
from autogiro_testkit import BANKGIRO, CUSTOMER, alpha, file_bytes, num, rec, report_opening

BG10 = num(BANKGIRO, 10)
ACCOUNT35 = num("89010032323232", 35)


def _reported(
    tk: str, day: str, period: str, repeats: str, payer: int, ore: int, ref: str, status: str
) -> str:
    fields = {
        3: day,
        11: period,
        16: num(payer, 16),
        32: num(ore, 12),
        44: BG10,
        54: alpha(ref, 16),
        80: status,
    }
    if repeats:
        fields[12] = repeats
    return rec(tk, fields)


PAYMENT_SPECIFICATION = [
    report_opening("BET. SPEC & STOPP TK", "20260202", "193055123456"),
    rec(
        "15",
        {3: ACCOUNT35, 38: "20260202", 46: num(1, 5), 51: num(1050000 + 57200, 18), 72: num(2, 8)},
    ),
    _reported("82", "20260202", "0", "", 101, 1050000, "FAKTURA 1", "0"),
    _reported("82", "20260202", "5", "011", 102, 57200, "MÅNADSPREMIE", "0"),
    _reported("82", "20260202", "0", "", 103, 30000, "FAKTURA 3", "1"),
    _reported("82", "20260202", "0", "", 104, 30000, "FAKTURA 4", "2"),
    _reported("82", "20260202", "0", "", 105, 30000, "FAKTURA 5", "9"),
    rec("16", {3: ACCOUNT35, 38: "20260202", 46: num(2, 5), 51: num(12500, 18), 72: num(1, 8)}),
    _reported("32", "20260202", "0", "", 106, 12500, "ÅTERBETALNING", "0"),
    _reported("32", "20260202", "0", "", 107, 9900, "ÅTERBETALNING", "1"),
    rec("17", {3: ACCOUNT35, 38: "20260202", 46: num(3, 5), 51: num(20000, 18), 72: num(1, 8)}),
    rec(
        "77",
        {
            3: "20260105",
            11: "0",
            16: num(108, 16),
            32: num(20000, 12),
            44: BG10,
            54: alpha("FAKTURA 8", 16),
            70: "20260202",
            78: "02",
        },
    ),
    rec(
        "09",
        {
            3: "20260202",
            11: "9900",
            15: num(1, 6),
            21: num(2, 12),
            33: num(1, 6),
            39: num(1, 12),
            51: num(1, 6),
            57: num(1, 12),
        },
    ),
]


def test_payment_specification() -> None:
    records = read_bytes(file_bytes(PAYMENT_SPECIFICATION))
    assert records[0] == ReportOpening(
        file_date=date(2026, 2, 2),
        file_time=time(19, 30, 55, 123456),
        content="BET. SPEC & STOPP TK",
        customer_number=CUSTOMER,
        bankgiro=BANKGIRO,
    )
    assert records[1] == Deposit(
        payee_account="89010032323232",
        payment_date=date(2026, 2, 2),
        serial_number=1,
        approved_amount=Decimal("11072.00"),
        approved_count=2,
    )
    assert records[2] == DebitPayment(
        bankgiro=BANKGIRO,
        payer_number="101",
        amount=Decimal("10500.00"),
        payment_date=date(2026, 2, 2),
        period=0,
        repeats=None,
        reference="FAKTURA 1",
        status="0",
    )
    assert records[3] == DebitPayment(
        bankgiro=BANKGIRO,
        payer_number="102",
        amount=Decimal("572.00"),
        payment_date=date(2026, 2, 2),
        period=5,
        repeats=11,
        reference="MÅNADSPREMIE",
        status="0",
    )
    assert [r.status for r in records[2:7]] == ["0", "0", "1", "2", "9"]
    assert [r.approved for r in records[2:7]] == [True, True, False, False, False]
    assert records[7] == Withdrawal(
        payee_account="89010032323232",
        payment_date=date(2026, 2, 2),
        serial_number=2,
        approved_amount=Decimal("125.00"),
        approved_count=1,
    )
    assert records[8] == CreditPayment(
        bankgiro=BANKGIRO,
        payer_number="106",
        amount=Decimal("125.00"),
        payment_date=date(2026, 2, 2),
        period=0,
        repeats=None,
        reference="ÅTERBETALNING",
        status="0",
    )
    assert records[10] == RefundWithdrawal(
        payee_account="89010032323232",
        payment_date=date(2026, 2, 2),
        serial_number=3,
        approved_amount=Decimal("200.00"),
        approved_count=1,
    )
    assert records[11] == Refund(
        bankgiro=BANKGIRO,
        payer_number="108",
        amount=Decimal("200.00"),
        payment_date=date(2026, 1, 5),
        period=0,
        repeats=None,
        reference="FAKTURA 8",
        refund_date=date(2026, 2, 2),
        refund_code="02",
    )
    assert records[12] == PaymentSpecificationClosing(
        file_date=date(2026, 2, 2),
        deposit_count=1,
        debit_count=2,
        withdrawal_count=1,
        credit_count=1,
        refund_withdrawal_count=1,
        refund_count=1,
    )
    assert [r.line for r in records] == list(range(1, 14))
    assert write_bytes(records) == file_bytes(PAYMENT_SPECIFICATION)


MANDATE_NOTICES = [
    report_opening("AG-MEDAVI", "20260211"),
    rec(
        "73",
        {
            3: BG10,
            13: num(103, 16),
            29: "5001" + num(1000023, 12),
            45: "196803050001",
            62: "04",
            64: "32",
            66: "20260211",
            74: "260215",
        },
    ),
    rec("73", {3: BG10, 13: num(2222101, 16), 62: "03", 64: "33", 66: "20260211"}),
    rec(
        "73",
        {
            3: BG10,
            13: num(102, 16),
            29: "8901" + num(3232323232, 12),
            45: "005556000528",
            62: "43",
            64: "07",
            66: "20260211",
        },
    ),
    rec(
        "73",
        {
            3: BG10,
            13: num(104, 16),
            29: num(0, 16),
            45: "198112289874",
            62: "46",
            64: "02",
            66: "20260211",
        },
    ),
    rec("09", {3: "20260211", 11: "9900", 15: num(4, 7)}),
]


def test_mandate_notices() -> None:
    records = read_bytes(file_bytes(MANDATE_NOTICES))
    assert records[0] == ReportOpening(
        file_date=date(2026, 2, 11),
        content="AG-MEDAVI",
        customer_number=CUSTOMER,
        bankgiro=BANKGIRO,
    )
    assert records[1] == MandateNotice(
        bankgiro=BANKGIRO,
        payer_number="103",
        account=BankAccount("5001", "1000023"),
        identity="196803050001",
        information_code="04",
        comment_code="32",
        notice_date=date(2026, 2, 11),
        valid_from=date(2026, 2, 15),
    )
    assert records[2] == MandateNotice(
        bankgiro=BANKGIRO,
        payer_number="2222101",
        account=None,
        identity=None,
        information_code="03",
        comment_code="33",
        notice_date=date(2026, 2, 11),
    )
    assert records[3].account == BankAccount("8901", "3232323232")
    assert records[3].identity == "005556000528"
    assert records[4].account is None  # all zeros: no account
    assert records[5] == MandateNoticeClosing(file_date=date(2026, 2, 11), notice_count=4)


REJECTED = [
    report_opening("AVVISADE BET UPPDR", "20260611"),
    rec(
        "82",
        {
            3: "20260611",
            11: "5",
            12: "006",
            15: num(3333, 16),
            31: num(7500, 12),
            43: "RIDLEKTION",
            59: "02",
        },
    ),
    rec(
        "82",
        {3: "GENAST", 11: "0", 15: num(4444, 16), 31: num(25000, 12), 43: "FAKTNR158", 59: "01"},
    ),
    rec(
        "82",
        {
            3: "20260611",
            11: "9",
            12: "011",
            15: num(5555, 16),
            31: num(5505, 12),
            43: "FAKTNR160",
            59: "06",
        },
    ),
    rec(
        "32",
        {3: "20260603", 11: "0", 15: num(5556, 16), 31: num(7500, 12), 43: "FAKTNR162", 59: "13"},
    ),
    rec(
        "32",
        {
            3: "20260631",
            11: "0",
            15: num(7575, 16),
            31: num(80200, 12),
            43: "RIDLEKTION ÅTERB",
            59: "12",
        },
    ),
    rec(
        "32",
        {
            3: "20260611",
            11: "0",
            15: num(1212, 16),
            31: "12345,00    ",
            43: "RIDLEKTION ÅTERB",
            59: "08",
        },
    ),
    rec(
        "09",
        {
            3: "20260611",
            11: "9900",
            15: num(3, 6),
            21: num(87700, 12),
            33: num(3, 6),
            39: num(38005, 12),
        },
    ),
]


def test_rejected_payments() -> None:
    records = read_bytes(file_bytes(REJECTED))
    assert records[0].content == "AVVISADE BET UPPDR"
    assert records[1] == RejectedDebit(
        payer_number="3333",
        amount=Decimal("75.00"),
        payment_date=date(2026, 6, 11),
        period=5,
        repeats=6,
        reference="RIDLEKTION",
        comment_code="02",
    )
    assert records[2].payment_date == "GENAST"
    # Bankgirot echoes the wrong period code 9 (comment code 06).
    assert records[3].period == 9
    assert records[4] == RejectedCredit(
        payer_number="5556",
        amount=Decimal("75.00"),
        payment_date=date(2026, 6, 3),
        period=0,
        repeats=None,
        reference="FAKTNR162",
        comment_code="13",
    )
    # 31 June does not exist, and comment code 12 says the date is wrong.
    assert records[5].payment_date is None
    # Comment code 08: the amount was not numeric.
    assert records[6].amount is None
    assert records[7] == RejectedPaymentsClosing(
        file_date=date(2026, 6, 11),
        credit_count=3,
        credit_total=Decimal("877.00"),
        debit_count=3,
        debit_total=Decimal("380.05"),
    )


AMENDMENTS = [
    report_opening("MAKULERING/ÄNDRING", "20260611"),
    rec(
        "21",
        {
            3: num(0, 8),
            27: "00",
            29: num(3335000, 12),
            41: num(23, 8),
            49: num(0, 8),
            57: num(0, 16),
            73: "12",
        },
    ),
    rec(
        "24",
        {
            3: "20260631",
            11: num(3331022, 16),
            27: "82",
            29: num(30000, 12),
            41: num(0, 8),
            49: num(0, 8),
            57: num(0, 16),
            73: "01",
        },
    ),
    rec(
        "25",
        {
            3: "20260611",
            11: num(7771014, 16),
            27: "32",
            29: num(500000, 12),
            41: "REFERENS",
            49: num(0, 8),
            57: "RIDLEKTION5ÅTERB",
            73: "12",
        },
    ),
    rec(
        "03",
        {
            3: "20260611",
            11: num(101, 16),
            27: "82",
            29: num(15000, 12),
            41: num(0, 8),
            49: num(0, 8),
            57: num(0, 16),
            73: "12",
        },
    ),
    rec(
        "11",
        {
            3: "20260611",
            11: num(102, 16),
            27: "82",
            29: num(25000, 12),
            41: "REFERENS",
            49: num(0, 8),
            57: "RIDLEKTION10",
            73: "12",
        },
    ),
    rec(
        "26",
        {
            3: num(0, 8),
            27: "00",
            29: num(0, 12),
            41: num(33, 8),
            49: "20260630",
            57: num(0, 16),
            73: "14",
        },
    ),
    rec(
        "29",
        {
            3: "20260612",
            11: num(107, 16),
            27: "82",
            29: num(50000, 12),
            41: "REFERENS",
            49: "20260616",
            57: "FAKTNR166",
            73: "14",
        },
    ),
    rec(
        "25",
        {
            3: "20260612",
            11: num(103, 16),
            27: "32",
            29: num(12500, 12),
            41: "REFERENS",
            49: num(0, 8),
            57: "FAKTNR169",
            73: "13",
        },
    ),
    rec(
        "09",
        {
            3: "20260611",
            11: "9900",
            29: num(500000, 12),
            41: num(1, 6),
            47: num(3, 6),
            53: "0000",
            57: num(90000, 12),
        },
    ),
]


def test_amendment_answers() -> None:
    records = read_bytes(file_bytes(AMENDMENTS))
    assert records[1] == AllPaymentsCancelled(
        payment_date=None,
        payer_number=None,
        payment_type=None,
        amount=Decimal("33350.00"),
        reference_marker="00000023",
        new_date=None,
        reference="0000000000000000",
        comment_code="12",
    )
    assert records[1].payment_count == 23
    # 31 June with comment code 01 (wrong payment date): the date is None.
    assert records[2] == PayerPaymentsOnDateCancelled(
        payment_date=None,
        payer_number="3331022",
        payment_type="82",
        amount=Decimal("300.00"),
        reference_marker="00000000",
        new_date=None,
        reference="0000000000000000",
        comment_code="01",
    )
    assert records[3] == PaymentCancelled(
        payment_date=date(2026, 6, 11),
        payer_number="7771014",
        payment_type="32",
        amount=Decimal("5000.00"),
        reference_marker="REFERENS",
        new_date=None,
        reference="RIDLEKTION5ÅTERB",
        comment_code="12",
    )
    assert records[3].successful
    assert isinstance(records[4], PaymentCancelledMandateDeleted)
    assert isinstance(records[5], PaymentCancelledByPayer)
    assert records[5].reference == "RIDLEKTION10"
    assert records[6] == AllPaymentsMoved(
        payment_date=None,
        payer_number=None,
        payment_type=None,
        amount=Decimal("0.00"),
        reference_marker="00000033",
        new_date=date(2026, 6, 30),
        reference="0000000000000000",
        comment_code="14",
    )
    assert records[7] == PaymentMoved(
        payment_date=date(2026, 6, 12),
        payer_number="107",
        payment_type="82",
        amount=Decimal("500.00"),
        reference_marker="REFERENS",
        new_date=date(2026, 6, 16),
        reference="FAKTNR166",
        comment_code="14",
    )
    assert not records[8].successful
    assert records[9] == AmendmentsClosing(
        file_date=date(2026, 6, 11),
        credit_total=Decimal("5000.00"),
        credit_count=1,
        debit_count=3,
        debit_total=Decimal("900.00"),
    )


INTERNET_MANDATES = [
    rec("51", {3: "20260611", 11: "9900", 15: BG10, 25: "AG-EMEDGIV"}),
    rec(
        "52",
        {3: BG10, 13: num(111, 16), 29: "8901" + num(3232323232, 12), 45: "005556000528", 62: "0"},
    ),
    rec("53", {3: "JAG ÖNSKAR BETALA MÅNADSVIS"}),
    rec("54", {3: "ANDERS JOHANSSON", 39: "C/O ANNA NILSSON"}),
    rec("55", {3: "LUGNA GATAN 5"}),
    rec("56", {3: "12838", 8: "SKARPNÄCK"}),
    rec(
        "52",
        {3: BG10, 13: num(113, 16), 29: "5001" + num(1000023, 12), 45: "196803050001", 62: "1"},
    ),
    rec("54", {3: "JOHN ANDERSSON"}),
    rec("55", {3: "8601 EAST ORCHARD ROAD", 39: "ACAMPO CA 95220"}),
    rec("56", {3: "00000", 8: "USA"}),
    rec("59", {3: "20260611", 11: "9900", 15: num(9, 7)}),
]


def test_internet_bank_mandates() -> None:
    records = read_bytes(file_bytes(INTERNET_MANDATES))
    assert records == [
        InternetMandateOpening(file_date=date(2026, 6, 11), bankgiro=BANKGIRO),
        InternetMandate(
            bankgiro=BANKGIRO,
            payer_number="111",
            account=BankAccount("8901", "3232323232"),
            identity="005556000528",
            message_type="0",
        ),
        InternetMandateInformation(information="JAG ÖNSKAR BETALA MÅNADSVIS"),
        InternetMandateName(line1="ANDERS JOHANSSON", line2="C/O ANNA NILSSON"),
        InternetMandateAddress(line3="LUGNA GATAN 5"),
        InternetMandatePostalAddress(postcode="12838", town="SKARPNÄCK"),
        InternetMandate(
            bankgiro=BANKGIRO,
            payer_number="113",
            account=BankAccount("5001", "1000023"),
            identity="196803050001",
            message_type="1",
        ),
        InternetMandateName(line1="JOHN ANDERSSON"),
        InternetMandateAddress(line3="8601 EAST ORCHARD ROAD", line4="ACAMPO CA 95220"),
        InternetMandatePostalAddress(postcode="00000", town="USA"),
        InternetMandateClosing(file_date=date(2026, 6, 11), record_count=9),
    ]
    assert write_bytes(records) == file_bytes(INTERNET_MANDATES)


def test_report_opening_positions() -> None:
    line = report_opening("AG-MEDAVI", "20260211")
    assert line[2:10] == "AUTOGIRO"
    assert line[24:32] == "20260211"
    assert line[44:64] == "AG-MEDAVI".ljust(20)
    assert line[64:70] == "471117"
    assert line[70:80] == "0009912346"


def test_several_sections_in_one_file() -> None:
    records = read_bytes(file_bytes(MANDATE_NOTICES + REJECTED))
    assert [r.NAME for r in records].count("report_opening") == 2
