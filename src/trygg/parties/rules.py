"""Pure rules of parties: customer numbers, and who may be linked as a sole trader's firm.

A sole trader (Swedish *enskild näringsidkare*, Norwegian *enkeltpersonforetak*) owns and
answers for the firm, so once linked the person sees and acts for the firm's engagements too.
That power is given only where the business register says the firm is that person's: a Swedish
sole trader's firm is registered under the owner's own personal identity number, a Norwegian
one names the owner (innehaver) by fødselsnummer. A link is proposed by one member of staff and
takes effect when a second one approves it (four eyes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from stdnum import luhn


def customer_number_from_serial(serial: int) -> str:
    """A customer number: the serial followed by a Luhn check digit (typing errors show)."""
    if serial <= 0:
        raise ValueError("A customer number serial is positive.")
    body = str(serial)
    return body + luhn.calc_check_digit(body)


def is_valid_customer_number(text: str) -> bool:
    return text.isdigit() and len(text) >= 2 and luhn.is_valid(text)


@dataclass(frozen=True)
class Registration:
    """What the register says about a party, as far as a firm link depends on it."""

    kind: str  # "person" or "organisation"
    country: str
    id_number: str
    registered_owner: str = ""  # a sole proprietorship's owner (identity number), else ""


@dataclass(frozen=True)
class LinkProblem:
    field: str
    code: str
    message: str  # English; translated where shown


def firm_link_problems(*, person: Registration, firm: Registration) -> list[LinkProblem]:
    """Why ``firm`` may not be linked as ``person``'s sole trader's firm; empty when it may."""
    problems: list[LinkProblem] = []
    if person.kind != "person":
        problems.append(
            LinkProblem("person", "sole_trader.not_a_person", "A sole trader is a natural person.")
        )
    if firm.kind != "organisation":
        problems.append(
            LinkProblem(
                "firm", "firm_link.not_a_firm", "Only a firm (an organisation) can be linked."
            )
        )
    elif (
        not firm.registered_owner
        or firm.registered_owner != person.id_number
        or firm.country != person.country
    ):
        problems.append(
            LinkProblem(
                "firm",
                "firm_link.not_the_owners",
                "The firm's registration does not name this person as its owner: only the "
                "person's own sole trader business can be linked.",
            )
        )
    return problems


# A link's life: proposed by one member of staff, then approved or rejected by another; a
# rejected link may be proposed again. Only an approved link gives access.
FIRM_LINK_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    "proposed": frozenset({"approved", "rejected"}),
    "rejected": frozenset({"proposed"}),
    "approved": frozenset(),
}


def four_eyes_problem(*, proposed_by: str, decided_by: str) -> LinkProblem | None:
    """The one who proposed a link may not decide it (and somebody must)."""
    if not decided_by:
        return LinkProblem("decided_by", "firm_link.no_decider", "The decision needs a decider.")
    if decided_by == proposed_by:
        return LinkProblem(
            "decided_by",
            "firm_link.four_eyes",
            "Another member of staff must approve the link you proposed.",
        )
    return None


def firm_link_may_move(current: str, target: str) -> bool:
    return target in FIRM_LINK_TRANSITIONS.get(current, frozenset())


# -- letters by post ----------------------------------------------------------------------
# A letter to a party's registered (postal) address goes through the outbox: queued (or held
# while the party has no address), taken for hand-over to the print-and-post service
# ("sending"), posted with the carrier's tracking number, then in transit, delivered or
# returned as the carrier's tracking reports. A hand-over without an answer goes back to
# queued and is repeated with the same key, which the service answers without printing twice.

LETTER_STATES: Final = (
    "held",
    "queued",
    "sending",
    "posted",
    "in_transit",
    "delivered",
    "returned",
    "cancelled",
)
LETTER_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    "held": frozenset({"queued", "cancelled"}),
    "queued": frozenset({"sending", "cancelled"}),
    "sending": frozenset({"posted", "queued"}),
    "posted": frozenset({"in_transit", "delivered", "returned"}),
    "in_transit": frozenset({"delivered", "returned"}),
    "delivered": frozenset(),
    "returned": frozenset(),
    "cancelled": frozenset(),
}
LETTER_TRACKED: Final = frozenset({"posted", "in_transit"})


def letter_may_move(current: str, target: str) -> bool:
    return target in LETTER_TRANSITIONS.get(current, frozenset())


_S10_WEIGHTS: Final = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_check_digit(serial: str) -> str:
    """The check digit of an item number in the UPU S10 format (two letters, eight digits,
    the check digit, the country): the carriers' tracking numbers of registered letters."""
    if len(serial) != 8 or not serial.isascii() or not serial.isdigit():
        raise ValueError("An S10 serial has eight digits.")
    total = sum(int(d) * w for d, w in zip(serial, _S10_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "0" if check == 10 else "5" if check == 11 else str(check)


def is_tracking_number(text: str) -> bool:
    """True for a well-formed S10 item number such as ``RR123456785NO``."""
    return (
        len(text) == 13
        and text[:2].isascii()
        and text[:2].isalpha()
        and text[:2].isupper()
        and text[11:].isascii()
        and text[11:].isalpha()
        and text[11:].isupper()
        and text[2:11].isdigit()
        and s10_check_digit(text[2:10]) == text[10]
    )
