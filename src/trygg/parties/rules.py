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
