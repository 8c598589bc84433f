"""Codes used in Autogiro files, with their Swedish texts.

The texts follow Bankgirot's "Bg Autogiro teknisk manual" (new file layout)
as far as public sources show them; see LAYOUT.md for the sources. Keys are
the characters as they appear in the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = [
    "AMENDMENT_COMMENT_CODES",
    "AMENDMENT_SUCCESS_CODES",
    "CONTENT_AMENDMENTS",
    "CONTENT_INTERNET_MANDATES",
    "CONTENT_MANDATE_NOTICES",
    "CONTENT_NAMES",
    "CONTENT_OLD_AMENDMENTS",
    "CONTENT_OLD_PAYMENT_SPECIFICATION",
    "CONTENT_OLD_REJECTED_PAYMENTS",
    "CONTENT_PAYMENT_SPECIFICATION",
    "CONTENT_REGISTER_EXTRACT",
    "CONTENT_REJECTED_PAYMENTS",
    "INTERNET_MANDATE_MESSAGE_TYPES",
    "LIST_CONTENT_NAMES",
    "MANDATE_COMMENT_CODES",
    "MANDATE_INFORMATION_CODES",
    "PAYMENT_STATUS_APPROVED",
    "PAYMENT_STATUS_CODES",
    "PAYMENT_TYPES",
    "PERIOD_CODES",
    "RECORD_TITLES",
    "REFUND_CODES",
    "REJECTION_COMMENT_CODES",
    "describe",
]


def _table(entries: dict[str, str]) -> Mapping[str, str]:
    return MappingProxyType(entries)


CONTENT_PAYMENT_SPECIFICATION: Final = "BET. SPEC & STOPP TK"
CONTENT_MANDATE_NOTICES: Final = "AG-MEDAVI"
CONTENT_REJECTED_PAYMENTS: Final = "AVVISADE BET UPPDR"
CONTENT_AMENDMENTS: Final = "MAKULERING/ÄNDRING"
CONTENT_INTERNET_MANDATES: Final = "AG-EMEDGIV"

CONTENT_NAMES: Final = _table(
    {
        CONTENT_PAYMENT_SPECIFICATION: (
            "Betalningsspecifikation och stoppade betalningar i täckningskontroll"
        ),
        CONTENT_MANDATE_NOTICES: "Medgivandeavisering",
        CONTENT_REJECTED_PAYMENTS: "Avvisade betalningsuppdrag",
        CONTENT_AMENDMENTS: "Makuleringar/ändringar av betalningar",
        CONTENT_INTERNET_MANDATES: "Medgivanden via Internetbanken",
    }
)
"""Content names (positions 45-64 of the opening record from Bankgirot)."""

CONTENT_OLD_PAYMENT_SPECIFICATION: Final = ""
CONTENT_OLD_REJECTED_PAYMENTS: Final = "FELLISTA REG.KONTRL"
CONTENT_OLD_AMENDMENTS: Final = "MAK/ÄNDRINGSLISTA"
CONTENT_REGISTER_EXTRACT: Final = "BEVAKNINGSREG"

LIST_CONTENT_NAMES: Final = _table(
    {
        CONTENT_OLD_PAYMENT_SPECIFICATION: "Betalningsspecifikation (gammal layout)",
        CONTENT_OLD_REJECTED_PAYMENTS: (
            "Fellista registerkontroll, avvisade betalningar (gammal layout)"
        ),
        CONTENT_OLD_AMENDMENTS: "Makulerings- och ändringslista (gammal layout)",
        CONTENT_REGISTER_EXTRACT: "Utdrag ur bevakningsregistret",
    }
)
"""Content names of the opening records with ``AUTOGIRO9900`` in positions 11-22
(positions 23-42): the old layout's files and the extract of the watch register."""

PERIOD_CODES: Final = _table(
    {
        "0": "En gång",
        "1": "En gång per månad på den kalenderdag som anges i betalningsposten",
        "2": "En gång per kvartal på den kalenderdag som anges i betalningsposten",
        "3": "En gång per halvår på den kalenderdag som anges i betalningsposten",
        "4": "En gång per år på den kalenderdag som anges i betalningsposten",
        "5": "En gång per månad på sista bankdagen",
        "6": "En gång per kvartal på sista bankdagen",
        "7": "En gång per halvår på sista bankdagen",
        "8": "En gång per år på sista bankdagen",
    }
)
"""Period codes (periodkod) of payment orders, position 11 of TK82/TK32."""

PAYMENT_TYPES: Final = _table(
    {
        "82": "Inbetalning (debitering av betalarens konto)",
        "32": "Utbetalning (kreditering av betalarens konto)",
    }
)
"""Payment type (betalningskod) in cancellation and amendment records."""

PAYMENT_STATUS_APPROVED: Final = "0"

PAYMENT_STATUS_CODES: Final = _table(
    {
        "0": "Godkänd betalning, betalningen är genomförd",
        "1": "Täckning saknas, betalningen har inte genomförts",
        "2": (
            "Koppling till Autogiro saknas (bankkontot avslutat) eller annan orsak, "
            "betalningen har inte genomförts"
        ),
        "9": (
            "Förnyad täckningskontroll, betalningen har inte genomförts men ett nytt försök görs"
        ),
    }
)
"""Status of TK82/TK32 in the payment specification (position 80)."""

REFUND_CODES: Final = _table(
    {
        "01": "Medgivande har inte lämnats till betalningsmottagaren",
        "02": "Medgivandet har återkallats",
        "03": (
            "Beloppet angavs inte när medgivandet lämnades och överstiger vad "
            "betalaren rimligen kunde ha förväntat sig"
        ),
    }
)
"""Reason for a refund to the payer, TK77 positions 78-79."""

REJECTION_COMMENT_CODES: Final = _table(
    {
        "01": "Utgår, medgivande saknas",
        "02": "Utgår, kontot är inte godkänt eller är avslutat",
        "03": "Utgår, medgivandet är stoppat",
        "04": "Felaktigt betalarbankgironummer",
        "05": "Felaktigt mottagarbankgironummer",
        "06": "Felaktig periodkod",
        "07": "Felaktigt antal för självförnyande uppdrag",
        "08": "Beloppet är inte numeriskt",
        "09": "Förbud mot utbetalningar",
        "10": "Bankgironumret saknas hos Bankgirot",
        "12": "Felaktigt betalningsdatum",
        "13": "Passerat betalningsdatum",
        "15": ("Mottagarbankgironumret i öppningsposten och i transaktionsposten är inte detsamma"),
        "24": "Beloppet överstiger maxbeloppet",
    }
)
"""Comment codes of rejected payment orders (AVVISADE BET UPPDR), 59-60."""

MANDATE_INFORMATION_CODES: Final = _table(
    {
        "03": "Makulering, initierad av betalningsmottagaren",
        "04": "Nyupplägg, initierat av betalningsmottagaren",
        "05": "Byte av betalarnummer, initierat av betalningsmottagaren",
        "10": "Makulerat på grund av att betalningsmottagarens bankgironummer är avslutat",
        "42": "Svar på kontoförfrågan från bank om ny betalare i Autogiro",
        "43": "Makulerat/borttaget på grund av obesvarad kontoförfrågan",
        "44": "Makulerat på grund av att betalarens bankgironummer är avslutat",
        "46": "Makulering, initierad av betalaren eller betalarens bank",
        "93": "Makulering, initierad av betalaren (äldre kod)",
    }
)
"""Information codes of mandate notices, TK73 positions 62-63."""

MANDATE_COMMENT_CODES: Final = _table(
    {
        "01": "Medgivandet är makulerat på initiativ av banken (äldre kod)",
        "02": "Medgivandet är makulerat på initiativ av betalaren eller betalarens bank",
        "03": "Kontoslaget är inte godkänt för Autogiro",
        "04": "Medgivandet saknas i Bankgirots medgivanderegister",
        "05": "Felaktiga bankkonto- eller personuppgifter",
        "06": "Medgivandet är makulerat av Bankgirot (äldre kod)",
        "07": "Makulerat/borttaget på grund av obesvarad kontoförfrågan",
        "09": "Betalarens bankgironummer saknas hos Bankgirot",
        "10": "Medgivandet finns redan i Bankgirots register eller är under förfrågan",
        "11": "Medgivandet är stoppat av betalaren (äldre kod)",
        "12": "Stoppet av medgivandet är hävt (äldre kod)",
        "20": (
            "Felaktigt person-/organisationsnummer eller avtal om medgivande med "
            "bankgironummer saknas"
        ),
        "21": "Felaktigt betalarnummer",
        "23": "Felaktigt bankkontonummer",
        "24": "Maxbelopp är inte tillåtet (äldre kod)",
        "29": "Mottagarens bankgironummer är felaktigt",
        "30": "Mottagarens bankgironummer är avregistrerat",
        "32": "Nytt medgivande",
        "33": "Makulerat",
        "98": "Medgivandet är makulerat på grund av makulerat betalarbankgironummer",
    }
)
"""Comment codes of mandate notices, TK73 positions 64-65."""

AMENDMENT_COMMENT_CODES: Final = _table(
    {
        "01": "Felaktig betalningsdag",
        "02": "Felaktigt betalarnummer",
        "04": "Felaktig transaktionskod",
        "05": "Felaktigt belopp",
        "06": "Felaktig ny betalningsdag",
        "10": "Felaktigt bankgironummer",
        "11": "Bankgironummer saknas",
        "12": "Makulerad",
        "13": "Betalningen saknas, inte åtgärdad",
        "14": "Ändrad betalningsdag",
        "15": "Inte ändrad, självförnyande uppdrag",
        "18": "Ändrad",
        "22": "Inte ändrad",
    }
)
"""Comment codes of cancellation/amendment answers (MAKULERING/ÄNDRING), 73-74."""

AMENDMENT_SUCCESS_CODES: Final = frozenset({"12", "14", "18"})
"""Comment codes of amendment answers that the closing record counts."""

INTERNET_MANDATE_MESSAGE_TYPES: Final = frozenset({"0", "1", "2"})
"""Values seen in TK52 position 62 (meddelandetyp). Their meaning is not
confirmed by a public source; they are passed through as read."""

RECORD_TITLES: Final = _table(
    {
        # Files to Bankgirot.
        "opening": "Öppningspost",
        "delete_mandate": "Makulering av medgivande",
        "new_mandate": (
            "Nyupplägg av medgivande eller godkännande av medgivande via Internetbanken"
        ),
        "reject_mandate": "Avvisning av medgivande via Internetbanken",
        "change_payer_number": "Byte av betalarnummer",
        "debit_order": "Betalningspost, inbetalning",
        "credit_order": "Betalningspost, utbetalning",
        "cancel_payer_payments": "Makulering av alla betalningar för ett betalarnummer",
        "cancel_payer_payments_on_date": (
            "Makulering av alla betalningar för ett betalarnummer på en betalningsdag"
        ),
        "cancel_payment": "Makulering av en betalning",
        "move_all_payments": "Ändring av betalningsdag för alla betalningar",
        "move_payments_on_date": (
            "Ändring av betalningsdag för alla betalningar på en betalningsdag"
        ),
        "move_payer_payments_on_date": (
            "Ändring av betalningsdag för ett betalarnummers betalningar på en betalningsdag"
        ),
        "move_payment": "Ändring av betalningsdag för en betalning",
        # Files from Bankgirot.
        "report_opening": "Öppningspost",
        "deposit": "Insättningspost",
        "withdrawal": "Uttagspost",
        "refund_withdrawal": "Uttagspost för återbetalning",
        "debit_payment": "Betalningspost, inbetalning",
        "credit_payment": "Betalningspost, utbetalning",
        "refund": "Betalningspost för återbetalning",
        "payment_specification_closing": "Slutpost",
        "mandate_notice": "Post för nyupplägg och makulering av medgivanden",
        "mandate_notice_closing": "Slutpost",
        "rejected_debit": "Avvisad betalningspost, inbetalning",
        "rejected_credit": "Avvisad betalningspost, utbetalning",
        "rejected_payments_closing": "Slutpost",
        "payment_cancelled_mandate_deleted": "Makulerad på grund av makulerat medgivande",
        "payment_cancelled_by_payer": "Makulerad av betalaren",
        "all_payments_cancelled": "Makulering av samtliga betalningar",
        "all_payments_on_date_cancelled": (
            "Makulering av samtliga betalningar på en betalningsdag"
        ),
        "payer_payments_cancelled": "Makulering av alla betalningar för ett betalarnummer",
        "payer_payments_on_date_cancelled": (
            "Makulering av alla betalningar för ett betalarnummer på en betalningsdag"
        ),
        "payment_cancelled": "Makulering av en betalning",
        "all_payments_moved": "Ändring av betalningsdag för alla betalningar",
        "payments_on_date_moved": (
            "Ändring av betalningsdag för alla betalningar på en betalningsdag"
        ),
        "payer_payments_on_date_moved": (
            "Ändring av betalningsdag för ett betalarnummers betalningar på en betalningsdag"
        ),
        "payment_moved": "Ändring av betalningsdag för en betalning",
        "amendments_closing": "Slutpost",
        "internet_mandate_opening": "Öppningspost",
        "internet_mandate": "Medgivandepost",
        "internet_mandate_information": "Medgivandepost, särskild information",
        "internet_mandate_name": "Medgivandepost, namn och adress del 1",
        "internet_mandate_address": "Medgivandepost, namn och adress del 2",
        "internet_mandate_postal_address": "Medgivandepost, postnummer och postort",
        "internet_mandate_closing": "Slutpost",
        # Files from Bankgirot opened with AUTOGIRO9900: the old layout, the watch register.
        "list_opening": "Öppningspost",
        "old_mandate_notice_opening": "Öppningspost, medgivandeavisering (gammal layout)",
        "old_debit_payment": "Betalningspost, inbetalning (gammal layout)",
        "old_credit_payment": "Betalningspost, utbetalning (gammal layout)",
        "old_payment_specification_closing": "Slutpost (gammal layout)",
        "registered_debit": "Bevakad betalning, inbetalning",
        "registered_credit": "Bevakad betalning, utbetalning",
        "register_extract_closing": "Slutpost",
    }
)
"""Swedish title of every record type, keyed by the record name."""


def describe(table: Mapping[str, str], code: str | None) -> str | None:
    """The text of ``code`` in ``table``, or ``None``."""
    if code is None:
        return None
    return table.get(code)
