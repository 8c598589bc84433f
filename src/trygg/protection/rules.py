"""The card and document protection service (SperreService): pure rules, no Django.

The seed (004, a Norwegian provider's customer pages) is the specification:

Registry ("Registrere")
* A customer registers any number of payment cards, mobile phones and ID documents and changes
  them as often as wanted at no cost.
* A card is registered by issuer and card type only: "Vi sperrer dine kort ved hjelp av ditt
  personnummer i stedet for at du skal måtte oppgi fortrolig informasjon om dine kortnummer".
  **A card number is never taken**: a run of 12 to 19 digits (spaces or hyphens between groups
  allowed) typed into any free field is refused (:func:`check_no_card_number`) and the text is
  never stored or logged (PCI DSS 3.3/3.4 keep the full number out of systems that need none).
* "KS" (kontrollsifre) are the last 4 digits of the card number. They are required "om kortet er
  et firmakort eller om du har flere kort fra samma utsteder", otherwise optional
  (:func:`ks_required`).
* A company card is registered in the company's name with its organisation number (9 digits).
* A mobile phone is registered by its IMEI, 15 digits with a Luhn check digit (shown by
  dialling ``*#06#``), so that the handset itself can be blocked even with another SIM card.
* ID documents with their issuer: a driver's licence by the road authority (Statens vegvesen /
  Vegdirektoratet), a passport by the police, an ID card by its issuer (e.g. a bank).

Blocking ("Sperre")
* A call goes through every registered item (each confirmed: block or not) and adds lost items
  never registered, registered on the spot. Only lost items are blocked.
* Each chosen item is one block at its issuer (:data:`BLOCK_TRANSITIONS`): requested, sent,
  then confirmed or not found; a block whose issuer cannot be reached is retried with back-off
  (:func:`retry_delay`) and ends as failed after :data:`MAX_ATTEMPTS`. "Not found" opens a
  callback to the customer at once ("kommer vi tilbake til deg").
* The promise: every item blocked within five minutes when the data given is right
  (:data:`PROMISE`).
* A card block is never lifted through the provider ("av sikkerhetshensyn"); blocks on mobile
  phones and ID documents may be lifted (:func:`check_lift`).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from stdnum import imei as stdnum_imei
from stdnum import luhn

from trygg.kernel.statetable import RuleError as RuleError
from trygg.kernel.statetable import check_move as check_move  # the one state-table check

PROMISE: Final = dt.timedelta(minutes=5)
MAX_ATTEMPTS: Final = 6
# Back-off between attempts at an issuer that did not answer: 2, 4, 8, 16, 32 seconds.
BACKOFF_BASE_SECONDS: Final = 2
KS_LENGTH: Final = 4

# A card number as people type it: 12 to 19 digits, optionally in groups separated by one
# space or hyphen. Digits glued to letters or other digits on either side count too, since a
# number inside a word is still a number.
_CARD_RUN: Final = re.compile(r"\d(?:[ \-]?\d){11,18}")


class ItemKind(enum.StrEnum):
    CARD = "card"
    PHONE = "phone"
    DOCUMENT = "document"


class DocumentKind(enum.StrEnum):
    DRIVING_LICENCE = "driving_licence"
    PASSPORT = "passport"
    ID_CARD = "id_card"


class IssuerKind(enum.StrEnum):
    CARD_ISSUER = "card_issuer"
    MOBILE_OPERATOR = "mobile_operator"
    ROAD_AUTHORITY = "road_authority"
    POLICE = "police"


# Which kind of issuer answers for which item. A bank may issue ID cards as well as cards.
ISSUER_KINDS_FOR: Final[Mapping[tuple[ItemKind, DocumentKind | None], frozenset[IssuerKind]]] = {
    (ItemKind.CARD, None): frozenset({IssuerKind.CARD_ISSUER}),
    (ItemKind.PHONE, None): frozenset({IssuerKind.MOBILE_OPERATOR}),
    (ItemKind.DOCUMENT, DocumentKind.DRIVING_LICENCE): frozenset({IssuerKind.ROAD_AUTHORITY}),
    (ItemKind.DOCUMENT, DocumentKind.PASSPORT): frozenset({IssuerKind.POLICE}),
    (ItemKind.DOCUMENT, DocumentKind.ID_CARD): frozenset(
        {IssuerKind.CARD_ISSUER, IssuerKind.POLICE}
    ),
}


class BlockState(enum.StrEnum):
    REQUESTED = "requested"  # chosen in the call, waiting for the worker
    SENT = "sent"  # the request is at the issuer (or on its way), no answer recorded yet
    CONFIRMED = "confirmed"  # the issuer confirmed the block
    NOT_FOUND = "not_found"  # the issuer found no such card/phone/document: call back
    FAILED = "failed"  # the issuer could not be reached after every attempt
    LIFTED = "lifted"  # the block was lifted on the customer's request (phones, documents)


BLOCK_TRANSITIONS: Final[Mapping[BlockState, frozenset[BlockState]]] = {
    BlockState.REQUESTED: frozenset({BlockState.SENT}),
    # An attempt without an answer goes back to requested for the next one.
    BlockState.SENT: frozenset(
        {BlockState.CONFIRMED, BlockState.NOT_FOUND, BlockState.REQUESTED, BlockState.FAILED}
    ),
    BlockState.CONFIRMED: frozenset({BlockState.LIFTED}),
    # After the callback the agent corrects the data and sends the block again.
    BlockState.NOT_FOUND: frozenset({BlockState.REQUESTED}),
    # The agent may send a failed block again (the issuer is back).
    BlockState.FAILED: frozenset({BlockState.REQUESTED}),
    BlockState.LIFTED: frozenset(),
}

FINAL_BLOCK_STATES: Final = frozenset(
    {BlockState.CONFIRMED, BlockState.NOT_FOUND, BlockState.FAILED, BlockState.LIFTED}
)


class CallState(enum.StrEnum):
    OPEN = "open"  # the agent goes through the items with the caller
    CLOSED = "closed"  # the call ended; the blocks are on their way
    COMPLETED = "completed"  # every block has its final answer
    ABANDONED = "abandoned"  # the call ended before anything was chosen


CALL_TRANSITIONS: Final[Mapping[CallState, frozenset[CallState]]] = {
    CallState.OPEN: frozenset({CallState.CLOSED, CallState.ABANDONED}),
    CallState.CLOSED: frozenset({CallState.COMPLETED}),
    # A block sent again after a callback reopens the wait for its answer.
    CallState.COMPLETED: frozenset({CallState.CLOSED}),
    CallState.ABANDONED: frozenset(),
}


def check_no_card_number(field: str, text: str) -> None:
    """Refuse a text that holds anything that looks like a card number (12-19 digits).

    The message never repeats the text."""
    if text and _CARD_RUN.search(text):
        raise RuleError(
            "card_number.refused",
            field,
            "A card number must never be given: register the card by issuer and card type "
            "(and the last 4 digits where asked).",
        )


def clean_ks(text: str) -> str:
    """The last 4 digits of a card number, exactly 4 digits (or empty)."""
    value = text.strip()
    if not value:
        return ""
    check_no_card_number("ks", value)
    if len(value) != KS_LENGTH or not value.isascii() or not value.isdigit():
        raise RuleError("ks.format", "ks", "KS is the last 4 digits of the card number.")
    return value


def ks_required(*, company_card: bool, cards_from_same_issuer: int) -> bool:
    """KS is required for a company card, or when the customer has several cards from the
    same issuer (``cards_from_same_issuer`` counts this card too)."""
    return company_card or cards_from_same_issuer > 1


def clean_imei(text: str) -> str:
    """An IMEI: 15 digits whose last is a Luhn check digit (spaces, hyphens and slashes as
    printed on the box are allowed)."""
    digits = re.sub(r"[ \-/]", "", text.strip())
    if not digits.isascii() or not digits.isdigit() or len(digits) != 15:
        raise RuleError(
            "imei.format", "imei", "An IMEI has 15 digits (dial *#06# on the phone to see it)."
        )
    if not luhn.is_valid(digits) or not stdnum_imei.is_valid(digits):
        raise RuleError(
            "imei.checksum", "imei", "The IMEI's check digit is wrong: please read it again."
        )
    return digits


@dataclass(frozen=True)
class IssuerTerms:
    """What the directory says of one issuer, as the rules need it."""

    code: str
    kind: IssuerKind
    can_order_replacement: bool


def check_issuer_fits(
    *, kind: ItemKind, document_kind: DocumentKind | None, issuer: IssuerTerms
) -> None:
    allowed = ISSUER_KINDS_FOR.get((kind, document_kind if kind == ItemKind.DOCUMENT else None))
    if allowed is None:
        raise RuleError("document_kind.required", "document_kind", "Choose the kind of document.")
    if issuer.kind not in allowed:
        raise RuleError(
            "issuer.kind",
            "issuer",
            "This issuer does not issue that kind of item.",
            issuer=issuer.code,
        )


def check_lift(kind: ItemKind) -> None:
    """A card block is never lifted through the service, for the customer's security."""
    if kind == ItemKind.CARD:
        raise RuleError(
            "lift.card",
            "item",
            "A card block cannot be lifted through us, for your security: contact the card's "
            "issuer.",
        )


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait before the next attempt after ``attempts`` attempts without an answer."""
    return dt.timedelta(seconds=BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def after_no_answer(attempts: int) -> BlockState:
    """Where a block goes when an attempt got no answer (timeout, 5xx, no connection)."""
    return BlockState.FAILED if attempts >= MAX_ATTEMPTS else BlockState.REQUESTED


@dataclass(frozen=True)
class ClosingAdvice:
    """What the agent tells the caller when the call closes."""

    replacement_ordered: tuple[str, ...]  # issuers that will send a new card
    contact_yourself: tuple[str, ...]  # issuers the customer must contact for a new one


def closing_advice(
    blocked: Iterable[tuple[ItemKind, IssuerTerms]], *, replacement_wanted: bool
) -> ClosingAdvice:
    """Which issuers the provider orders new cards from and which the customer must contact
    personally (seed: "Vi forteller deg hvilke utstedere vi kan bestille nye kort til deg hos,
    samt hvilke tapte kort der du eventuelt må ta personlig kontakt med utsteder")."""
    ordered: list[str] = []
    yourself: list[str] = []
    for kind, issuer in blocked:
        if kind != ItemKind.CARD or not replacement_wanted:
            continue
        target = ordered if issuer.can_order_replacement else yourself
        if issuer.code not in target:
            target.append(issuer.code)
    return ClosingAdvice(tuple(ordered), tuple(yourself))


def within_promise(closed_at: dt.datetime, done_at: dt.datetime) -> bool:
    return done_at - closed_at <= PROMISE


# -- agreements, subscriptions and invoices (seed 004, "Betaling", "Oppsigelse", "Fornyelse") --
#
# * Monthly-paid SperreService renews "for tre måneder av gangen, med fortsatt betaling
#   månedsvis"; cancelling inside such a period takes one month's notice ("1 måned
#   oppsigelsestid"); a cancellation in the first term ends the service at that term's end ("slik
#   at det ikke fornyes ved utløpet av bindingstiden").
# * Prepaid SperreService (and the other prepaid products) is valid to the end of the paid period;
#   then a renewal offer, "men intet krav", unless the customer asked for no offers.
# * An insurance: "et fornyelsebrev som informerer om at din forsikring starter et nytt avtaleår";
#   not paying cancels it ("sies en forsikringsfornyelse opp gjennom uteblitt betaling"); "Du
#   kommer evt. til å motta to påminnelser".
# * "Det tar normalt 2-4 bankdager (hverdager) før din betaling er registrert": no reminder (and no
#   lapse) until the fourth Norwegian bank day after the deadline has passed.
# * "mySafety AS har fra 1. oktober 2019 blitt mySafety Försäkringar AB. Fornyer du en
#   eksisterende forsikring eller tegner en avtale ... kommer mySafety Försäkringar AB til å stå
#   som forsikringsformidler": the entity of an agreement term is the one in force on the day the
#   term starts (:func:`entity_on`).

MONTHLY_TERM_MONTHS: Final = 3
NOTICE_MONTHS: Final = 1
INVOICE_LEAD_DAYS: Final = 14  # a monthly invoice goes out 14 days before its due date
RENEWAL_LEAD_DAYS: Final = 30  # renewal letters and offers go out 30 days before the term ends
REMINDER_DAYS: Final = 14  # a reminder's own deadline
MAX_REMINDERS: Final = 2
PAYMENT_UNDER_WAY_BANK_DAYS: Final = 4  # a payment is registered 2-4 bank days after it is made
OFFER_OPEN_DAYS: Final = 30  # an unanswered renewal offer is withdrawn 30 days after its date


class ProductKind(enum.StrEnum):
    BLOCKING = "blocking"  # SperreService
    ID_PROTECTION = "id_protection"  # ID-beskyttelse
    KEY_TAG = "key_tag"  # nøkkelbrikke
    INSURANCE = "insurance"  # distributed as a tied agent of an insurer


class PaymentPlan(enum.StrEnum):
    MONTHLY = "monthly"  # three-month terms renewed unless cancelled, paid month by month
    PREPAID = "prepaid"  # valid to the end of the paid period, then an offer
    ANNUAL = "annual"  # an insurance year, renewed by paying the renewal


class AgreementState(enum.StrEnum):
    ACTIVE = "active"
    NOTICE = "notice"  # cancelled, running to its end date
    ENDED = "ended"  # ended by the customer's notice
    EXPIRED = "expired"  # a prepaid period ran out (an offer may be open)
    LAPSED = "lapsed"  # ended by non-payment (FAL for insurances: no separate notice)


AGREEMENT_TRANSITIONS: Final[Mapping[AgreementState, frozenset[AgreementState]]] = {
    AgreementState.ACTIVE: frozenset(
        {AgreementState.NOTICE, AgreementState.EXPIRED, AgreementState.LAPSED}
    ),
    AgreementState.NOTICE: frozenset({AgreementState.ENDED, AgreementState.LAPSED}),
    # Paying the renewal offer starts a new period.
    AgreementState.EXPIRED: frozenset({AgreementState.ACTIVE}),
    AgreementState.ENDED: frozenset(),
    AgreementState.LAPSED: frozenset(),
}

LIVE_AGREEMENT_STATES: Final = frozenset({AgreementState.ACTIVE, AgreementState.NOTICE})


class InvoiceKind(enum.StrEnum):
    CLAIM = "claim"  # owed: reminded at most twice, and non-payment ends the agreement
    OFFER = "offer"  # a renewal offer: never reminded, withdrawn when not taken up


class InvoiceState(enum.StrEnum):
    OPEN = "open"
    PAID = "paid"
    CANCELLED = "cancelled"  # the agreement ended or lapsed before it was paid
    WITHDRAWN = "withdrawn"  # an offer not taken up


INVOICE_TRANSITIONS: Final[Mapping[InvoiceState, frozenset[InvoiceState]]] = {
    InvoiceState.OPEN: frozenset(
        {InvoiceState.PAID, InvoiceState.CANCELLED, InvoiceState.WITHDRAWN}
    ),
    InvoiceState.PAID: frozenset(),
    InvoiceState.CANCELLED: frozenset(),
    InvoiceState.WITHDRAWN: frozenset(),
}


class LetterKind(enum.StrEnum):
    AGREEMENT = "agreement"  # the new agreement with its terms
    INVOICE = "invoice"
    RENEWAL = "renewal"  # an insurance's new agreement year, with its invoice
    OFFER = "offer"  # a prepaid period's renewal offer
    REMINDER = "reminder"
    LAPSE = "lapse"  # the agreement ended for non-payment
    NOTICE = "notice"  # the cancellation confirmed, with its end date


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` calendar months, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return min(
        day.replace(year=year, month=month, day=1) + dt.timedelta(day.day - 1),
        following - dt.timedelta(days=1),
    )


def term_end(start: dt.date, months: int) -> dt.date:
    """The last day of a term of ``months`` months starting on ``start``."""
    return add_months(start, months) - dt.timedelta(days=1)


def term_months(plan: PaymentPlan, period_months: int) -> int:
    """A monthly plan's term is three months; a prepaid or annual one the product's period."""
    return MONTHLY_TERM_MONTHS if plan == PaymentPlan.MONTHLY else period_months


@dataclass(frozen=True)
class EntityTerms:
    """A legal entity of the intermediary, in force from ``valid_from``."""

    code: str
    valid_from: dt.date


def entity_on(entities: Iterable[EntityTerms], day: dt.date) -> EntityTerms:
    """The entity in force on ``day``: the latest whose ``valid_from`` is on or before it."""
    in_force = [e for e in entities if e.valid_from <= day]
    if not in_force:
        raise RuleError("entity.none", "start", "No legal entity was in force on that day.")
    return max(in_force, key=lambda e: e.valid_from)


def earliest_end(
    *,
    plan: PaymentPlan,
    notice_on: dt.date,
    first_term_end: dt.date,
    current_term_end: dt.date,
) -> dt.date:
    """The first day a cancellation given on ``notice_on`` can end the agreement on (its last
    day of service).

    Monthly: in the first (binding) term, that term's end; after it, one month's notice. Prepaid
    and annual: the end of the period paid for (the customer simply does not renew)."""
    if plan != PaymentPlan.MONTHLY:
        return current_term_end
    if notice_on <= first_term_end:
        return first_term_end
    return add_months(notice_on, NOTICE_MONTHS) - dt.timedelta(days=1)


def check_cancellation(
    *,
    plan: PaymentPlan,
    notice_on: dt.date,
    first_term_end: dt.date,
    current_term_end: dt.date,
    end_on: dt.date | None,
) -> dt.date:
    """The end date of a cancellation; one earlier than the notice allows is refused."""
    earliest = earliest_end(
        plan=plan,
        notice_on=notice_on,
        first_term_end=first_term_end,
        current_term_end=current_term_end,
    )
    if end_on is None:
        return earliest
    if end_on < earliest:
        raise RuleError(
            "cancellation.notice",
            "end_on",
            "The agreement can end on %(earliest)s at the earliest (the notice period).",
            earliest=earliest.isoformat(),
        )
    if plan != PaymentPlan.MONTHLY and end_on != earliest:
        raise RuleError(
            "cancellation.period_end",
            "end_on",
            "A prepaid agreement or an insurance ends at the end of its period, %(earliest)s.",
            earliest=earliest.isoformat(),
        )
    return end_on


def action_after(deadline: dt.date, add_bank_days: Callable[[dt.date, int], dt.date]) -> dt.date:
    """The first day a reminder (or a lapse) may follow a deadline: the day after the fourth
    Norwegian bank day after it, so that a payment made on the deadline has been registered."""
    return add_bank_days(deadline, PAYMENT_UNDER_WAY_BANK_DAYS) + dt.timedelta(days=1)


@dataclass(frozen=True)
class DueMoveRule:
    """What a product allows: ``moves`` moves of an invoice's due date, each to at most
    ``max_days`` after the original due date."""

    moves: int
    max_days: int


def check_due_move(
    *,
    rule: DueMoveRule,
    moves_used: int,
    original_due: dt.date,
    current_due: dt.date,
    new_due: dt.date,
    reminders: int,
    today: dt.date,
) -> None:
    if moves_used >= rule.moves:
        raise RuleError(
            "due_on.moves_used",
            "due_on",
            "The due date of this invoice cannot be moved again (the product allows %(moves)s).",
            moves=rule.moves,
        )
    if reminders:
        raise RuleError(
            "due_on.reminded", "due_on", "A reminded invoice's due date cannot be moved."
        )
    if new_due <= current_due or new_due <= today:
        raise RuleError(
            "due_on.not_later", "due_on", "The new due date must be later than the current one."
        )
    if (new_due - original_due).days > rule.max_days:
        raise RuleError(
            "due_on.too_late",
            "due_on",
            "The due date can be moved at most %(days)s days.",
            days=rule.max_days,
        )


# -- KID, the Norwegian payment reference ------------------------------------------------------


def kid_mod10(base: str) -> str:
    """The MOD10 (Luhn) check digit of a KID's ``base`` digits."""
    return luhn.calc_check_digit(base)


def kid_mod11(base: str) -> str:
    """The MOD11 check digit (weights 2-7 from the right); ``-`` where the remainder is 1."""
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(base)))
    check = 11 - total % 11
    return "0" if check == 11 else "-" if check == 10 else str(check)


def kid_make(base: str) -> str:
    """A KID with a MOD10 check digit (the one trygg issues)."""
    if not base.isascii() or not base.isdigit() or not 1 <= len(base) <= 24:
        raise RuleError("kid.format", "kid", "A KID is 2 to 25 digits.")
    return base + kid_mod10(base)


def kid_check(kid: str) -> str:
    """A KID as paid: 2-25 digits whose last is a MOD10 or MOD11 check digit."""
    value = kid.strip().replace(" ", "")
    if not 2 <= len(value) <= 25 or not value.isascii() or not value[:-1].isdigit():
        raise RuleError("kid.format", "kid", "A KID is 2 to 25 digits.")
    base, check = value[:-1], value[-1]
    if check != kid_mod10(base) and check != kid_mod11(base):
        raise RuleError("kid.checksum", "kid", "The KID's check digit is wrong.")
    return value


# -- key tags (seed 004, "Nøkkelbrikke") ---------------------------------------------------------
#
# * A tag's serial links the keys to the owner through the owner's personal identity number.
# * A finder phones in the serial, their name and phone, posts the keys to the provider or hands
#   them to the police; "Straks de funnede nøklene er kommet inn til oss, kontakter vi deg for
#   utbetaling av finnerlønnen": the reward, "kr 100,-", once the keys are with us or the police.
# * The keys go to the owner "i rekommandert brev"; picked up at the police's lost property office
#   the owner must show identification.

FINDER_REWARD: Final = "100.00"  # NOK, paid once per case
KEY_TAG_SERIAL_DIGITS: Final = 9  # 8 digits and a Luhn check digit


class FoundState(enum.StrEnum):
    REPORTED = "reported"  # a finder called in; the keys are not with us yet
    RECEIVED = "received"  # the keys are with us (by post, or forwarded by the police)
    AT_POLICE = "at_police"  # the keys are at the police's lost property office
    SENT = "sent"  # sent to the owner by registered letter
    PICKED_UP = "picked_up"  # the owner collected them at the police, identified
    UNRETURNED = "unreturned"  # closed without the keys reaching their owner


FOUND_TRANSITIONS: Final[Mapping[FoundState, frozenset[FoundState]]] = {
    FoundState.REPORTED: frozenset(
        {FoundState.RECEIVED, FoundState.AT_POLICE, FoundState.UNRETURNED}
    ),
    FoundState.RECEIVED: frozenset({FoundState.SENT, FoundState.UNRETURNED}),
    FoundState.AT_POLICE: frozenset(
        {FoundState.PICKED_UP, FoundState.RECEIVED, FoundState.UNRETURNED}
    ),
    FoundState.SENT: frozenset(),
    FoundState.PICKED_UP: frozenset(),
    FoundState.UNRETURNED: frozenset(),
}

RETURNED_STATES: Final = frozenset({FoundState.SENT, FoundState.PICKED_UP})
REWARD_STATES: Final = frozenset(
    {FoundState.RECEIVED, FoundState.AT_POLICE, FoundState.SENT, FoundState.PICKED_UP}
)


def key_tag_serial(number: int) -> str:
    """The serial printed on a tag: 8 digits and a Luhn check digit."""
    base = f"{number:08d}"
    return base + luhn.calc_check_digit(base)


def clean_key_tag_serial(text: str) -> str:
    value = re.sub(r"[ \-]", "", text.strip())
    if (
        len(value) != KEY_TAG_SERIAL_DIGITS
        or not value.isascii()
        or not value.isdigit()
        or not luhn.is_valid(value)
    ):
        raise RuleError(
            "serial.format", "serial", "A key tag's number is 9 digits, as printed on the tag."
        )
    return value


def check_reward(state: FoundState) -> None:
    if state not in REWARD_STATES:
        raise RuleError(
            "reward.keys_not_in",
            "case",
            "The finder's reward is paid once the keys are with us or the police.",
        )


def clean_norwegian_account(text: str) -> str:
    """A Norwegian bank account number: 11 digits with a MOD11 check digit."""
    from stdnum.exceptions import ValidationError
    from stdnum.no import kontonr

    try:
        return str(kontonr.validate(text))
    except ValidationError:
        raise RuleError(
            "account.invalid",
            "account",
            "A Norwegian account number has 11 digits and a valid check digit.",
        ) from None


# -- ID theft (seed 004, "ID-beskyttelse") -----------------------------------------------------
#
# "vår ID-beskyttelsesavdeling ... starter en utredning sammen med deg. Vi hjelper deg med å
# bestride eventuelle krav eller fakturaer som du har fått, samt hjelper deg å tilbakestille din
# identitet."


class IdTheftState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


ID_THEFT_TRANSITIONS: Final[Mapping[IdTheftState, frozenset[IdTheftState]]] = {
    IdTheftState.OPEN: frozenset({IdTheftState.CLOSED}),
    IdTheftState.CLOSED: frozenset({IdTheftState.OPEN}),  # a new claim turns up
}


class DisputeState(enum.StrEnum):
    DISPUTED = "disputed"  # we have disputed it with the creditor
    WITHDRAWN = "withdrawn"  # the creditor dropped the claim
    UPHELD = "upheld"  # the creditor keeps the claim: disputed again or taken further


DISPUTE_TRANSITIONS: Final[Mapping[DisputeState, frozenset[DisputeState]]] = {
    DisputeState.DISPUTED: frozenset({DisputeState.WITHDRAWN, DisputeState.UPHELD}),
    DisputeState.UPHELD: frozenset({DisputeState.DISPUTED, DisputeState.WITHDRAWN}),
    DisputeState.WITHDRAWN: frozenset(),
}


class StepKind(enum.StrEnum):
    LETTER = "letter"  # a letter disputing a claim
    CREDIT_BLOCK = "credit_block"  # a credit-reference block ("kredittsperre")
    POLICE_REPORT = "police_report"
    CALL = "call"
    NOTE = "note"


# -- claims on the protection insurances (seed 004, "Skade") -------------------------------------
#
# "Skaden anmeldes ved at du fyller ut en skadeanmeldelse og sender den sammen med nødvendige
# dokumenter ... Gir skaden rett til erstatning, betaler vi til det kontonummeret som er angitt i
# skadeanmeldelsen ... Behandlingstiden for skadeanmeldelser er maksimum én måned med forbehold
# om at det er nødvendig med komplettering av opplysninger."
#
# The one-month clock and its pause are the claims app's (``trygg.claims.rules.handling_due``);
# this table is the protection claim's life: reported (the clock runs), waiting for information
# (it stands still), approved (the payout pending), paid, or rejected.


class ClaimState(enum.StrEnum):
    REPORTED = "reported"
    WAITING = "waiting"
    APPROVED = "approved"
    PAID = "paid"
    REJECTED = "rejected"


CLAIM_TRANSITIONS: Final[Mapping[ClaimState, frozenset[ClaimState]]] = {
    ClaimState.REPORTED: frozenset({ClaimState.WAITING, ClaimState.APPROVED, ClaimState.REJECTED}),
    # The information arrives (the clock runs again), or it never does and the claim is refused.
    ClaimState.WAITING: frozenset({ClaimState.REPORTED, ClaimState.REJECTED}),
    ClaimState.APPROVED: frozenset({ClaimState.PAID}),
    ClaimState.PAID: frozenset(),
    ClaimState.REJECTED: frozenset(),
}
OPEN_CLAIM_STATES: Final = frozenset({ClaimState.REPORTED, ClaimState.WAITING})
"""Claims the handling time runs (or stands still) for."""

# Documents sent with a claim: receipts, police reports, photographs, a scanned claim form.
# Each file's first bytes must match its type, whatever its name says.
DOCUMENT_TYPES: Final[Mapping[str, tuple[str, tuple[bytes, ...]]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
DOCUMENT_MAX_BYTES: Final = 10 * 1024 * 1024
DOCUMENTS_PER_CLAIM: Final = 20
CLAIM_MAX_AMOUNT: Final = 10_000_000


def check_document(name: str, size: int, head: bytes) -> str:
    """A claim document's content type, if its name, size and first bytes pass: PDF, JPEG or
    PNG, at most 10 MB, not empty."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = DOCUMENT_TYPES.get(extension)
    if kind is None or not head.startswith(kind[1]):
        raise RuleError(
            "document.type",
            "document",
            "A document must be a PDF, JPEG or PNG file.",
        )
    if size <= 0:
        raise RuleError("document.empty", "document", "The file is empty.")
    if size > DOCUMENT_MAX_BYTES:
        raise RuleError(
            "document.size",
            "document",
            "A document can be at most 10 MB.",
            max_mb=DOCUMENT_MAX_BYTES // (1024 * 1024),
        )
    return kind[0]


def check_documents_count(count: int) -> None:
    if count >= DOCUMENTS_PER_CLAIM:
        raise RuleError(
            "document.count",
            "document",
            "A claim can have at most 20 documents.",
            max=DOCUMENTS_PER_CLAIM,
        )
