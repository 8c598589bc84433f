"""The texts of every error rule, in English and Swedish, with a stable code.

An :class:`~autogiro.errors.AutogiroError` carries its rule as English text
(``rule``). This catalogue gives each rule a code and its Swedish text: a
rule is matched against the English templates (``{name}`` stands for a part
that varies: a number, a field's label, a bank's name); the parts that are
themselves rules or phrases of the catalogue (what a total must equal, the
kind of file) are translated too.

:func:`code_of` gives the code of a rule and :func:`translate` its text in
one of :data:`LANGUAGES`. Every rule the package can raise is in
:data:`CATALOGUE` (the tests check its source against it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Final

__all__ = ["CATALOGUE", "LANGUAGES", "UNKNOWN", "code_of", "translate"]

LANGUAGES: Final = ("en", "sv")
UNKNOWN: Final = "unknown"
"""The code of a rule that is not in the catalogue (the tests keep this from happening)."""

# (code, English, Swedish). More specific templates come before more general ones.
_ENTRIES: Final[tuple[tuple[str, str, str], ...]] = (
    # -- the file: encoding, line ends, lengths ---------------------------------------------
    (
        "file.utf8",
        "looks UTF-8 encoded; Autogiro files must be ISO-8859-1",
        "ser ut att vara UTF-8-kodad; Autogirofiler ska vara ISO-8859-1",
    ),
    (
        "file.final_eof",
        "end-of-file character (Ctrl-Z, 0x1A) after the last record; "
        "the lenient mode (strict=False) drops it",
        "filslutstecken (Ctrl-Z, 0x1A) efter sista posten; "
        "det toleranta läget (strict=False) tar bort det",
    ),
    (
        "file.control_byte",
        "byte 0x{byte} is not a printable ISO-8859-1 character",
        "byte 0x{byte} är inte ett skrivbart ISO-8859-1-tecken",
    ),
    (
        "file.not_text",
        "is neither ISO-8859-1 nor UTF-8 text",
        "är varken ISO-8859-1- eller UTF-8-text",
    ),
    (
        "file.not_latin1",
        "character U+{char} cannot be written in an ISO-8859-1 file",
        "tecknet U+{char} kan inte skrivas i en ISO-8859-1-fil",
    ),
    (
        "file.record_length",
        "record must be {length} characters",
        "posten ska vara {length} tecken",
    ),
    (
        "file.blank_line_end",
        "blank line; the lenient mode (strict=False) ignores blank lines at the end",
        "tom rad; det toleranta läget (strict=False) hoppar över tomma rader i slutet",
    ),
    (
        "file.blank_line_inside",
        "blank line inside the file (blank lines are allowed only at its end)",
        "tom rad inne i filen (tomma rader får bara finnas i slutet)",
    ),
    ("file.crlf", "line must end with CR LF", "raden ska sluta med CR LF"),
    (
        "file.bom",
        "begins with a UTF-8 byte order mark; Autogiro files are ISO-8859-1 text",
        "börjar med en UTF-8-byteordningsmarkering; Autogirofiler är ISO-8859-1-text",
    ),
    (
        "file.utf8_in_record",
        "reads as UTF-8 in an ISO-8859-1 file (is the text already encoded?)",
        "läses som UTF-8 i en ISO-8859-1-fil (är texten redan kodad?)",
    ),
    (
        "file.empty",
        "the file is empty; it must begin with an opening record",
        "filen är tom; den ska börja med en öppningspost",
    ),
    # -- structure: openings, order, closings -----------------------------------------------
    (
        "structure.no_opening",
        "a file must begin with an opening record (TK01 or TK51)",
        "en fil ska börja med en öppningspost (TK01 eller TK51)",
    ),
    (
        "structure.unknown_tk",
        "unknown transaction code in a {family}",
        "okänd transaktionskod i en {family}",
    ),
    (
        "structure.unknown_content_9900",
        "unknown content name after AUTOGIRO9900 (positions 23-42){rest}",
        "okänt innehållsnamn efter AUTOGIRO9900 (position 23-42){rest}",
    ),
    (
        "structure.unknown_content_9900_bankgiro",
        "unknown content name after clearing number 9900 and the bankgiro number "
        "(positions 25-44){rest}",
        "okänt innehållsnamn efter clearingnummer 9900 och bankgironumret (position 25-44){rest}",
    ),
    ("structure.unknown_content", "unknown content name{rest}", "okänt innehållsnamn{rest}"),
    (
        "structure.layout_name",
        "must be 'AUTOGIRO' (positions 3-10 from Bankgirot, 11-18 to Bankgirot){rest}",
        "ska vara 'AUTOGIRO' (position 3-10 från Bankgirot, 11-18 till Bankgirot){rest}",
    ),
    (
        "structure.unclosed",
        "the section opened on line {line} has no closing record (TK{tk})",
        "avsnittet som öppnades på rad {line} saknar slutpost (TK{tk})",
    ),
    (
        "structure.after_closing",
        "record after the closing record of line {line}; "
        "a new section must begin with an opening record",
        "post efter slutposten på rad {line}; ett nytt avsnitt ska börja med en öppningspost",
    ),
    (
        "structure.not_allowed",
        "record {name} (TK{tk}) is not allowed in a {family}",
        "posten {name} (TK{tk}) är inte tillåten i en {family}",
    ),
    (
        "structure.section_order",
        "TK{tk} must follow a TK{section} record ({name}) in a payment specification",
        "TK{tk} ska följa en TK{section}-post ({name}) i en betalningsspecifikation",
    ),
    (
        "structure.internet_group_order",
        "must follow a TK52 record, in the order TK53, TK54, TK55, TK56, each at most once",
        "ska följa en TK52-post, i ordningen TK53, TK54, TK55, TK56, var och en högst en gång",
    ),
    (
        "structure.must_equal",
        "must equal {what} ({expected})",
        "ska vara lika med {what} ({expected})",
    ),
    ("structure.not_a_record", "is not an Autogiro record", "är inte en Autogiropost"),
    (
        "structure.not_a_debit_order",
        "is not a valid debit order",
        "är inte en giltig betalningspost",
    ),
    (
        "task.payer_needed",
        "is needed to move a payer's payments (TK28)",
        "behövs för att flytta en betalares betalningar (TK28)",
    ),
    # -- fields --------------------------------------------------------------------------------
    (
        "field.amount_numeric",
        "must be numeric (amount in öre)",
        "ska vara numeriskt (belopp i öre)",
    ),
    (
        "field.account_numeric",
        "must be numeric (clearing and account number)",
        "ska vara numeriskt (clearing- och kontonummer)",
    ),
    ("field.numeric", "must be numeric", "ska vara numeriskt"),
    ("field.decimal", "must be a Decimal amount in kronor", "ska vara ett Decimal-belopp i kronor"),
    ("field.finite", "must be a finite amount", "ska vara ett ändligt belopp"),
    ("field.two_decimals", "must have at most two decimals", "får ha högst två decimaler"),
    ("field.date8", "must be a date YYYYMMDD", "ska vara ett datum ÅÅÅÅMMDD"),
    (
        "field.date8_exists",
        "must be a date that exists (YYYYMMDD)",
        "ska vara ett datum som finns (ÅÅÅÅMMDD)",
    ),
    ("field.date6", "must be a date YYMMDD", "ska vara ett datum ÅÅMMDD"),
    (
        "field.date6_exists",
        "must be a date that exists (YYMMDD)",
        "ska vara ett datum som finns (ÅÅMMDD)",
    ),
    (
        "field.date_century",
        "must be a date between 2000 and 2099",
        "ska vara ett datum mellan 2000 och 2099",
    ),
    ("field.date_or_genast", "must be a date or GENAST", "ska vara ett datum eller GENAST"),
    ("field.date", "must be a date", "ska vara ett datum"),
    (
        "field.time_format",
        "must be a time HHMMSSffffff or blank",
        "ska vara en tid TTMMSSffffff eller blankt",
    ),
    (
        "field.time_exists",
        "must be a time that exists (HHMMSSffffff)",
        "ska vara en tid som finns (TTMMSSffffff)",
    ),
    ("field.time", "must be a time", "ska vara en tid"),
    ("field.required", "is required", "måste anges"),
    ("field.digits", "must be a string of digits", "ska vara en sträng av siffror"),
    ("field.exact_digits", "must be exactly {n} digits", "ska vara exakt {n} siffror"),
    ("field.max_digits", "must be at most {n} digits", "får ha högst {n} siffror"),
    ("field.between", "must be between {low} and {high}", "ska vara mellan {low} och {high}"),
    ("field.integer", "must be an integer", "ska vara ett heltal"),
    ("field.negative", "must not be negative", "får inte vara negativt"),
    ("field.ore_digits", "must fit in {n} digits of öre", "ska rymmas i {n} siffror öre"),
    ("field.string", "must be a string", "ska vara en sträng"),
    ("field.max_characters", "must be at most {n} characters", "får ha högst {n} tecken"),
    (
        "field.latin1",
        "must contain printable ISO-8859-1 characters only",
        "får bara innehålla skrivbara ISO-8859-1-tecken",
    ),
    (
        "field.old_status",
        "unknown payment status code (blank, 1, 2 or 9)",
        "okänd statuskod för betalningen (blank, 1, 2 eller 9)",
    ),
    ("field.unknown_code", "unknown {label}", "okänd {label}"),
    ("field.bank_account", "must be a BankAccount", "ska vara ett BankAccount"),
    ("field.reserved", "reserved, must be blank", "reserv, ska vara blankt"),
    ("field.blank_in_tk", "must be blank in TK{tk}", "ska vara blankt i TK{tk}"),
    (
        "field.blank_or_av",
        "must be blank (new mandate) or 'AV' (rejection)",
        "ska vara blankt (nytt medgivande) eller 'AV' (avvisning)",
    ),
    # -- rules across fields of one record -----------------------------------------------------
    (
        "record.genast_period",
        "must be 0 when the payment date is GENAST",
        "ska vara 0 när betalningsdagen är GENAST",
    ),
    (
        "record.repeats_blank",
        "must be blank when the period code is 0",
        "ska vara blankt när periodkoden är 0",
    ),
    ("record.amount_positive", "must be greater than zero", "ska vara större än noll"),
    # -- check digits --------------------------------------------------------------------------
    (
        "digits.skippable",
        "{rule} (check_digits=False skips this check)",
        "{rule} (check_digits=False hoppar över kontrollen)",
    ),
    (
        "digits.bankgiro_digits",
        "must be a bankgiro number of digits",
        "ska vara ett bankgironummer av siffror",
    ),
    (
        "digits.bankgiro_length",
        "must be a bankgiro number of 7 or 8 digits",
        "ska vara ett bankgironummer med 7 eller 8 siffror",
    ),
    (
        "digits.bankgiro_check",
        "bankgiro number has a wrong check digit (modulus 10)",
        "bankgironumret har fel kontrollsiffra (modulus 10)",
    ),
    (
        "digits.identity_format",
        "must be 12 digits: YYYYMMDDNNNC, or 00 and an organisation number",
        "ska vara 12 siffror: ÅÅÅÅMMDDNNNK, eller 00 och ett organisationsnummer",
    ),
    (
        "digits.organisation_third",
        "organisation number must have a third digit of at least 2",
        "organisationsnumrets tredje siffra ska vara minst 2",
    ),
    (
        "digits.organisation_check",
        "organisation number has a wrong check digit (modulus 10)",
        "organisationsnumret har fel kontrollsiffra (modulus 10)",
    ),
    (
        "digits.personal_date",
        "personal identity number must begin with a date that exists (YYYYMMDD)",
        "personnumret ska börja med ett datum som finns (ÅÅÅÅMMDD)",
    ),
    (
        "digits.personal_check",
        "personal identity number has a wrong check digit (modulus 10)",
        "personnumret har fel kontrollsiffra (modulus 10)",
    ),
    ("digits.account", "bank account: {message}", "bankkonto: {message}"),
    # -- bank accounts (Bankernas kontonummeruppbyggnad) ---------------------------------------
    (
        "account.clearing_unknown",
        "Clearing number {clearing} belongs to no known bank.",
        "Clearingnummer {clearing} hör inte till någon känd bank.",
    ),
    (
        "account.max_length",
        "{bank}: the account number has at most {n} digits.",
        "{bank}: kontonumret har högst {n} siffror.",
    ),
    (
        "account.length",
        "{bank}: the account number has {n} digits.",
        "{bank}: kontonumret har {n} siffror.",
    ),
    ("account.too_short", "The account number is too short.", "Kontonumret är för kort."),
    (
        "account.clearing_format",
        "The clearing number has four digits (1000-9999).",
        "Clearingnumret har fyra siffror (1000-9999).",
    ),
    ("account.missing", "The account number is missing.", "Kontonumret saknas."),
    (
        "account.checksum",
        "{number} is not a valid {bank} account number.",
        "{number} är inte ett giltigt kontonummer hos {bank}.",
    ),
    (
        "account.characters",
        "Use digits, spaces, hyphens and a comma only.",
        "Använd bara siffror, mellanslag, bindestreck och ett kommatecken.",
    ),
    (
        "account.too_few_digits",
        "Too few digits for a clearing number and an account number.",
        "För få siffror för ett clearingnummer och ett kontonummer.",
    ),
    (
        "account.personkonto",
        "A Nordea personkonto is the 10-digit personal identity number.",
        "Ett personkonto i Nordea är det tiosiffriga personnumret.",
    ),
    (
        "account.comma",
        "Write the clearing number, a comma and the account number.",
        "Skriv clearingnumret, ett kommatecken och kontonumret.",
    ),
    (
        "account.fifth_digit",
        "Only Swedbank's 8xxx clearing numbers have a fifth digit.",
        "Bara Swedbanks clearingnummer 8xxx har en femte siffra.",
    ),
    (
        "account.clearing_checksum",
        "The fifth digit of clearing number {clearing} is not its check digit.",
        "Den femte siffran i clearingnummer {clearing} är inte dess kontrollsiffra.",
    ),
    # Last: it would match every rule that begins with "must be".
    ("field.constant", "must be {value}", "ska vara {value}"),
)

# Phrases inside rules: what a value must equal, the kinds of file, the labels of code fields.
_PHRASES: Final[tuple[tuple[str, str, str], ...]] = (
    ("phrase.section_rest", "; the section is not read", "; avsnittet läses inte"),
    ("phrase.nothing", "", ""),
    (
        "phrase.number_in_section",
        "the number of {what} in the section",
        "antalet {what} i avsnittet",
    ),
    ("phrase.sum_in_section", "the sum of {what} in the section", "summan av {what} i avsnittet"),
    ("phrase.refund_records", "refund records", "återbetalningsposter"),
    ("phrase.approved_payments", "approved payments", "godkända betalningar"),
    (
        "phrase.number_approved",
        "the number of approved TK{tk} records",
        "antalet godkända TK{tk}-poster",
    ),
    (
        "phrase.number_successful",
        "the number of successful answers for TK{tk} payments",
        "antalet genomförda ändringar för TK{tk}-betalningar",
    ),
    (
        "phrase.sum_successful",
        "the sum of successful answers for TK{tk} payments",
        "summan av genomförda ändringar för TK{tk}-betalningar",
    ),
    ("phrase.number_records", "the number of TK{tk} records", "antalet TK{tk}-poster"),
    ("phrase.sum_records", "the sum of TK{tk} records", "summan av TK{tk}-posterna"),
    (
        "phrase.first_customer",
        "the BGC customer number of the file's first opening record on line {line}",
        "BGC-kundnumret i filens första öppningspost på rad {line}",
    ),
    (
        "phrase.opening_bankgiro",
        "the bankgiro number of the opening record on line {line}",
        "bankgironumret i öppningsposten på rad {line}",
    ),
    (
        "phrase.opening_date",
        "the file date of the opening record on line {line}",
        "skrivdagen i öppningsposten på rad {line}",
    ),
    ("phrase.request", "file to Bankgirot", "fil till Bankgirot"),
    (
        "phrase.payment_specification",
        "payment specification (BET. SPEC & STOPP TK)",
        "betalningsspecifikation (BET. SPEC & STOPP TK)",
    ),
    (
        "phrase.mandate_notices",
        "mandate notice file (AG-MEDAVI)",
        "fil med medgivandeaviseringar (AG-MEDAVI)",
    ),
    (
        "phrase.rejected_payments",
        "rejected payments file (AVVISADE BET UPPDR)",
        "fil med avvisade betalningar (AVVISADE BET UPPDR)",
    ),
    (
        "phrase.amendments",
        "cancellation/amendment file (MAKULERING/ÄNDRING)",
        "fil med makuleringar/ändringar (MAKULERING/ÄNDRING)",
    ),
    (
        "phrase.internet_mandates",
        "Internet bank mandate file (AG-EMEDGIV)",
        "fil med medgivanden via Internetbanken (AG-EMEDGIV)",
    ),
    (
        "phrase.old_payment_specification",
        "payment specification in the old layout",
        "betalningsspecifikation i gammal layout",
    ),
    (
        "phrase.old_mandate_notices",
        "mandate notice file in the old layout (AG-MEDAVI)",
        "fil med medgivandeaviseringar i gammal layout (AG-MEDAVI)",
    ),
    (
        "phrase.old_rejected_payments",
        "rejected payments file in the old layout (FELLISTA REG.KONTRL)",
        "fil med avvisade betalningar i gammal layout (FELLISTA REG.KONTRL)",
    ),
    (
        "phrase.old_amendments",
        "cancellation/amendment file in the old layout (MAK/ÄNDRINGSLISTA)",
        "fil med makuleringar/ändringar i gammal layout (MAK/ÄNDRINGSLISTA)",
    ),
    (
        "phrase.register_extract",
        "extract of the watch register (BEVAKNINGSREG)",
        "utdrag ur bevakningsregistret (BEVAKNINGSREG)",
    ),
    ("phrase.payment_status_code", "payment status code", "statuskod för betalningen"),
    ("phrase.refund_code", "refund code", "återbetalningskod"),
    (
        "phrase.mandate_information_code",
        "mandate information code",
        "informationskod för medgivandet",
    ),
    ("phrase.mandate_comment_code", "mandate comment code", "kommentarskod för medgivandet"),
    ("phrase.rejection_comment_code", "rejection comment code", "kommentarskod för avvisningen"),
    ("phrase.amendment_comment_code", "amendment comment code", "kommentarskod för ändringen"),
    ("phrase.content_name", "content name", "innehållsnamn"),
    ("phrase.payment_type", "payment type (82 or 32)", "betalningstyp (82 eller 32)"),
    ("phrase.payment_type_00", "payment type (82, 32 or 00)", "betalningstyp (82, 32 eller 00)"),
    ("phrase.message_type", "message type (0, 1 or 2)", "meddelandetyp (0, 1 eller 2)"),
    ("phrase.value", "value", "värde"),
)

CATALOGUE: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {code: MappingProxyType({"en": en, "sv": sv}) for code, en, sv in (*_ENTRIES, *_PHRASES)}
)
"""Every rule and phrase: code -> {"en": template, "sv": template}."""

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> re.Pattern[str]:
    parts: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[position : match.start()]))
        parts.append(f"(?P<{match.group(1)}>.*?)")
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts), re.DOTALL)


_PATTERNS: Final = tuple((code, _pattern(en)) for code, en, _sv in (*_ENTRIES, *_PHRASES))


@lru_cache(maxsize=4096)
def _match(text: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    for code, pattern in _PATTERNS:
        found = pattern.fullmatch(text)
        if found is not None:
            return code, tuple(found.groupdict().items())
    return None


def code_of(rule: str) -> str:
    """The code of an English rule text, or :data:`UNKNOWN`."""
    found = _match(rule)
    if found is None or found[0].startswith("phrase."):
        return UNKNOWN
    return found[0]


def translate(text: str, lang: str) -> str:
    """``text`` (an English rule or phrase of the catalogue) in ``lang``; unknown text as is."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)} (got {lang!r})")
    if lang == "en":
        return text
    found = _match(text)
    if found is None:
        return text
    code, params = found
    values = {name: translate(value, lang) if value else value for name, value in params}
    return CATALOGUE[code][lang].format(**values)
