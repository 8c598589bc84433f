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
from collections.abc import Iterable, Mapping
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
