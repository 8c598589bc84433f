"""Contact and premises records, pure (no Django). The docstring is the spec (seeds 002, 003).

Sites. Each site has an address, a controller per processing (cameras, visitors) that may change
on a date (the new controller answers from that date; the old one for what came before), the
processors it uses, and its retention as data: which rule of the privacy engine keeps its
visitors (1 day from the day of the visit, or 30 days at Tegeluddsvägen) and its camera images
(14 days, or 30 days at Tegeluddsvägen).

Recorded interactions (phone, video, e-mail, chat) have one of two purposes, never none:

- **threat**: recorded at a perceived threat; kept 30 days unless a police report is made, then
  held (a legal hold) as long as legal claims need; Länsförsäkringar Stockholm is the controller
  whatever the matter (seed 003). A release to the police is recorded with what was handed over.
- **quality** and training: kept 30 days; when the person says no, the employee marks it during
  the interaction and the file is never stored; random files are drawn for review by the
  employee and their coach. The controller follows the matter: the bank for banking matters,
  Länsförsäkringar Stockholm otherwise.

An interaction is recording until its file is stored; a quality recording the person refused
is declined instead (nothing kept); a stored threat recording may be reported to the police.

Objection to direct marketing (satisfaction surveys, seed 003): from My pages, customer service
or the signed link in a survey; it stops every survey not yet sent.

Satisfaction surveys (seed 003, direct marketing): after a closed matter a request goes by
e-mail or SMS to a person who has not objected (checked when it is asked for and again when it
is sent); it is queued, then sent, or stopped by an objection, or failed after
``SEND_ATTEMPTS`` tries; a sent survey is answered once. The standard questions: how satisfied
(1-5) with how the matter was handled, whether the matter was resolved, and how likely (0-10)
the person is to recommend us (NPS). A comment beyond them is free text, deleted after 12
months, the rest after 18. "Very dissatisfied" (1 of 5) opens a callback task.
"""

from __future__ import annotations

import datetime as dt
import enum
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Final


class RuleError(Exception):
    def __init__(self, code: str, field: str | None, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.field = field
        self.message = message
        self.params = params


STOCKHOLM: Final = "Länsförsäkringar Stockholm"
BANK: Final = "Länsförsäkringar Bank AB (publ)"


class SiteProcessing(enum.StrEnum):
    CAMERA = "camera"
    VISITORS = "visitors"


# The privacy engine's rules a site may choose for each processing (privacy.rules.RULES).
SITE_RULES: Final[Mapping[SiteProcessing, tuple[str, ...]]] = {
    SiteProcessing.CAMERA: ("camera", "camera-30"),
    SiteProcessing.VISITORS: ("visitor", "visitor-30"),
}


def controller_on(changes: Iterable[tuple[dt.date, str]], day: dt.date) -> str:
    """The controller on ``day``: the change with the latest date on or before it."""
    valid = [(since, name) for since, name in changes if since <= day]
    if not valid:
        raise RuleError(
            "site.no_controller",
            "controller",
            f"The site has no controller on {day.isoformat()}.",
            day=day.isoformat(),
        )
    return max(valid)[1]


def check_controller_change(
    changes: Iterable[tuple[dt.date, str]], since: dt.date, name: str, today: dt.date
) -> None:
    """A change names a controller, is not back-dated and is not a second change on one date."""
    if not name.strip():
        raise RuleError("site.controller_name", "controller", "Name the controller.")
    if since < today:
        raise RuleError(
            "site.controller_backdated",
            "valid_from",
            "A change of controller applies from today or a later date, not from the past.",
        )
    if any(day == since for day, _ in changes):
        raise RuleError(
            "site.controller_same_day",
            "valid_from",
            "The site already changes controller on that date.",
        )


class Purpose(enum.StrEnum):
    THREAT = "threat"
    QUALITY = "quality"


class Channel(enum.StrEnum):
    PHONE = "phone"
    VIDEO = "video"
    EMAIL = "email"
    CHAT = "chat"


class Matter(enum.StrEnum):
    BANKING = "banking"
    INSURANCE = "insurance"
    OTHER = "other"


class InteractionState(enum.StrEnum):
    RECORDING = "recording"
    STORED = "stored"
    DECLINED = "declined"
    REPORTED = "reported"


INTERACTION_TRANSITIONS: Final[Mapping[InteractionState, frozenset[InteractionState]]] = {
    InteractionState.RECORDING: frozenset({InteractionState.STORED, InteractionState.DECLINED}),
    InteractionState.STORED: frozenset({InteractionState.REPORTED}),
    InteractionState.DECLINED: frozenset(),
    InteractionState.REPORTED: frozenset(),
}

# Which purposes allow a transition besides the table (a refusal only quality has; a police
# report only of a threat).
PURPOSE_OF_TRANSITION: Final[Mapping[InteractionState, Purpose]] = {
    InteractionState.DECLINED: Purpose.QUALITY,
    InteractionState.REPORTED: Purpose.THREAT,
}


def check_move(purpose: str, now: str, to: str) -> None:
    allowed = INTERACTION_TRANSITIONS.get(InteractionState(now), frozenset())
    target = InteractionState(to)
    if target not in allowed:
        raise RuleError(
            f"interaction.{now}_to_{to}",
            "state",
            f"A recording that is {now} cannot become {to}.",
            state_from=now,
            state_to=to,
        )
    needed = PURPOSE_OF_TRANSITION.get(target)
    if needed is not None and purpose != needed:
        raise RuleError(
            f"interaction.{to}_needs_{needed}",
            "purpose",
            f"Only a {needed} recording can become {to}.",
            purpose=purpose,
        )


# The recording platform hands over an interaction's file when the interaction ends; a file
# that comes later than this after the start is refused (decision 0095): the platform's own
# retries fall well within it, and a file days late belongs to no call anyone remembers.
FILE_WINDOW: Final = dt.timedelta(hours=24)


def check_started(started_at: dt.datetime, now: dt.datetime) -> None:
    """An interaction the recording platform reports started within ``FILE_WINDOW`` before now
    (its file is taken no later), and not ahead of our clock by more than ``CLOCK_SKEW``."""
    if started_at - now > CLOCK_SKEW:
        raise RuleError(
            "interaction.started_future", "started_at", "The interaction's start is in the future."
        )
    if now - started_at > FILE_WINDOW:
        raise RuleError(
            "interaction.started_late",
            "started_at",
            "An interaction is reported within 24 hours of its start.",
            hours=int(FILE_WINDOW.total_seconds() // 3600),
        )


def check_file_in_time(started_at: dt.datetime, now: dt.datetime) -> None:
    if now - started_at > FILE_WINDOW:
        raise RuleError(
            "interaction.file_expired",
            "file",
            "The recording's file comes too late: a file is taken up to 24 hours after the "
            "interaction started.",
            hours=int(FILE_WINDOW.total_seconds() // 3600),
        )


def check_purpose(purpose: str | None) -> Purpose:
    if not purpose:
        raise RuleError(
            "interaction.purpose_missing",
            "purpose",
            "A recording needs its purpose: a perceived threat, or quality and training.",
        )
    try:
        return Purpose(purpose)
    except ValueError:
        raise RuleError(
            "interaction.purpose_unknown",
            "purpose",
            "A recording is made at a perceived threat or for quality and training only.",
        ) from None


def interaction_controller(purpose: Purpose, matter: Matter) -> str:
    """Seed 003: Länsförsäkringar Stockholm for threats; for quality the bank when the matter is
    about banking services, Länsförsäkringar Stockholm otherwise."""
    if purpose is Purpose.QUALITY and matter is Matter.BANKING:
        return BANK
    return STOCKHOLM


def draw_for_review(candidates: Sequence[int], count: int, rng: random.Random) -> list[int]:
    """A random draw of ``count`` recordings (all of them when there are fewer)."""
    if count < 1:
        raise RuleError("review.count", "count", "Draw at least one recording.")
    if len(candidates) <= count:
        return list(candidates)
    return sorted(rng.sample(list(candidates), count))


class ObjectionSource(enum.StrEnum):
    MY_PAGES = "my-pages"
    CUSTOMER_SERVICE = "customer-service"
    LINK = "link"


class SurveyState(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    STOPPED = "stopped"
    FAILED = "failed"
    ANSWERED = "answered"


SURVEY_TRANSITIONS: Final[Mapping[SurveyState, frozenset[SurveyState]]] = {
    SurveyState.QUEUED: frozenset({SurveyState.SENT, SurveyState.STOPPED, SurveyState.FAILED}),
    SurveyState.SENT: frozenset({SurveyState.ANSWERED}),
    SurveyState.STOPPED: frozenset(),
    SurveyState.FAILED: frozenset(),
    SurveyState.ANSWERED: frozenset(),
}
SEND_ATTEMPTS: Final = 5
VERY_DISSATISFIED: Final = 1


def check_survey_move(now: str, to: str) -> None:
    if SurveyState(to) not in SURVEY_TRANSITIONS.get(SurveyState(now), frozenset()):
        raise RuleError(
            f"survey.{now}_to_{to}",
            "state",
            f"A survey that is {now} cannot become {to}.",
            state_from=now,
            state_to=to,
        )


class SurveyChannel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"
    CALL = "call"  # asked in a phone call; the employee records the answer


def check_answer(nps: object, satisfaction: object, resolved: object) -> tuple[int, int, bool]:
    """The standard questions answered within their scales; every problem at once."""
    problems: list[RuleError] = []

    def scale(value: object, low: int, high: int, field: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            problems.append(
                RuleError(
                    f"survey.{field}",
                    field,
                    f"Answer with a whole number from {low} to {high}.",
                    low=low,
                    high=high,
                )
            )
            return low
        return value

    checked_nps = scale(nps, 0, 10, "nps")
    checked_satisfaction = scale(satisfaction, 1, 5, "satisfaction")
    if not isinstance(resolved, bool):
        problems.append(RuleError("survey.resolved", "resolved", "Answer yes or no."))
    if problems:
        raise problems[0] if len(problems) == 1 else RuleErrors(problems)
    return checked_nps, checked_satisfaction, bool(resolved)


class RuleErrors(RuleError):
    def __init__(self, problems: list[RuleError]) -> None:
        super().__init__(problems[0].code, problems[0].field, problems[0].message)
        self.problems = problems


def nps_group(nps: int) -> str:
    """Promoter (9-10), passive (7-8) or detractor (0-6)."""
    return "promoter" if nps >= 9 else "passive" if nps >= 7 else "detractor"


def net_promoter_score(promoters: int, detractors: int, answers: int) -> int | None:
    """Per cent promoters less per cent detractors, rounded half away from zero."""
    if answers == 0:
        return None
    scaled = (promoters - detractors) * 200 + (answers if promoters >= detractors else -answers)
    return int(scaled / (2 * answers))


# -- visitors (seed 003) -------------------------------------------------------------------------
# A visitor signs in with name, phone, company and the host they visit (a visit without a host is
# refused); the host is told, and the visitor is told when the host is on the way. A visitor card
# records the doors it passes. At a site with parking the car's registration number is kept for
# the right to park; elsewhere none is taken. The evacuation list is everyone signed in today and
# not yet signed out. Visits are kept by the site's rule (1 day, or 30 at Tegeluddsvägen).


class VisitState(enum.StrEnum):
    SIGNED_IN = "signed-in"
    SIGNED_OUT = "signed-out"


VISIT_TRANSITIONS: Final[Mapping[VisitState, frozenset[VisitState]]] = {
    VisitState.SIGNED_IN: frozenset({VisitState.SIGNED_OUT}),
    VisitState.SIGNED_OUT: frozenset(),
}


def check_visit_move(now: str, to: str) -> None:
    if VisitState(to) not in VISIT_TRANSITIONS.get(VisitState(now), frozenset()):
        raise RuleError(
            f"visit.{now}_to_{to}",
            "state",
            f"A visit that is {now} cannot become {to}.",
            state_from=now,
            state_to=to,
        )


_PLATE = re.compile(r"^[A-Z]{3}\d{2}[A-Z\d]$")


def check_sign_in(
    *, name: str, phone: str, host_given: bool, car: str, parking: bool
) -> tuple[str, str]:
    """The visitor's name and the car's registration (normalised, or empty); every problem."""
    problems: list[RuleError] = []
    if not name.strip():
        problems.append(RuleError("visit.name", "name", "Give the visitor's name."))
    if len("".join(c for c in phone if c.isdigit())) < 7:
        problems.append(RuleError("visit.phone", "phone", "Give the visitor's phone number."))
    if not host_given:
        problems.append(RuleError("visit.host", "host", "Name the host the visitor has come to."))
    plate = "".join(c for c in car.upper() if c.isalnum())
    if plate and not parking:
        problems.append(
            RuleError(
                "visit.no_parking", "car", "This site has no visitor parking: no car is kept."
            )
        )
    elif plate and not _PLATE.match(plate):
        problems.append(
            RuleError("visit.car", "car", "A registration number is like ABC 123 or ABC 12D.")
        )
    if problems:
        raise problems[0] if len(problems) == 1 else RuleErrors(problems)
    return " ".join(name.split()), plate


class Direction(enum.StrEnum):
    """Which way a card passed a door, as the card system reports it: into the premises, or out
    of them (decision 0095)."""

    IN = "in"
    OUT = "out"


# A passage reported for a time ahead of our clock by more than this is refused: the card
# system's clock and ours may differ a little, not by minutes.
CLOCK_SKEW: Final = dt.timedelta(minutes=2)
# Visits are kept 30 days at the most (Tegeluddsvägen): an older passage has no visit to go to.
PASSAGE_AGE: Final = dt.timedelta(days=30)


def check_passage(
    *, card: str, door: str, direction: str, passed_at: dt.datetime, now: dt.datetime
) -> tuple[str, str, Direction]:
    """A door passage as the card system reports it: the card, the door, the direction and a
    time not in the future. The card and door come back trimmed."""
    card, door = (card or "").strip(), " ".join((door or "").split())
    if not card or not card.isprintable():
        raise RuleError("passage.card", "card", "Give the card's number.")
    if not door or not door.isprintable():
        raise RuleError("passage.door", "door", "Name the door the card passed.")
    if direction not in Direction.__members__.values():
        raise RuleError("passage.direction", "direction", "A card passes a door in or out.")
    if passed_at - now > CLOCK_SKEW:
        raise RuleError("passage.future", "passed_at", "The passage's time is in the future.")
    if now - passed_at > PASSAGE_AGE:
        raise RuleError(
            "passage.too_old",
            "passed_at",
            "The passage is older than any visit that is kept (30 days).",
            days=PASSAGE_AGE.days,
        )
    return card, door, Direction(direction)


def holding_visit(
    holders: Iterable[tuple[int, dt.datetime, dt.datetime | None]], passed_at: dt.datetime
) -> int:
    """Of the visits that were given the card (id, when given, when signed out), the one that
    held it at ``passed_at``: the last given it at or before then. Unknown when none was; refused
    when that visitor had signed out by then (the card was handed back)."""
    given = [(since, visit, left) for visit, since, left in holders if since <= passed_at]
    if not given:
        raise RuleError("passage.card_unknown", "card", "No visitor held that card at that time.")
    _since, visit, left = max(given, key=lambda item: (item[0], item[1]))
    if left is not None and left <= passed_at:
        raise RuleError(
            "passage.signed_out",
            "passed_at",
            "The visitor who held that card had signed out before the passage.",
        )
    return visit


def is_inside(last_direction: str | None) -> bool:
    """A signed-in visitor is inside unless the card's last passage took them out: a visitor
    without a card, or whose card has passed no door yet, is counted inside (the evacuation
    list errs on the side of searching for someone)."""
    return last_direction != Direction.OUT


class Recipient(enum.StrEnum):
    RESCUE_SERVICE = "rescue-service"
    POLICE = "police"


# -- camera footage register (seed 003) ----------------------------------------------------------
# Staff view footage only after an incident, each viewing recorded with who, when and why; an
# export goes to the police only with the police's reference, and each hand-over of the copy is
# a link in its chain of custody. The footage is the camera vendor's; trygg keeps the register
# and its own exported copies, deleted by the site's camera rule (14 days, 30 at Tegeluddsvägen)
# counted from the day the images were recorded.


class Custody(enum.StrEnum):
    EXPORTED = "exported"
    HANDED_OVER = "handed-over"
    RECEIVED = "received"


CUSTODY_TRANSITIONS: Final[Mapping[Custody, frozenset[Custody]]] = {
    Custody.EXPORTED: frozenset({Custody.HANDED_OVER}),
    Custody.HANDED_OVER: frozenset({Custody.HANDED_OVER, Custody.RECEIVED}),
    Custody.RECEIVED: frozenset(),
}


def check_custody(now: str, to: str) -> None:
    if to not in Custody.__members__.values():
        raise RuleError("custody.unknown", "action", "A copy is handed over or received.")
    if Custody(to) not in CUSTODY_TRANSITIONS.get(Custody(now), frozenset()):
        raise RuleError(
            f"custody.{now}_to_{to}",
            "action",
            f"A copy that is {now} cannot be {to} next.",
            state_from=now,
            state_to=to,
        )


# -- support tickets (seed 002) ------------------------------------------------------------------
# A ticket with the customer's problem, opened and closed; reopened if the problem returns
# (the three years then count from the new closing). Its handlers are staff or a processor's
# staff; a processor's handler outside the EU/EEA is marked with the country and the safeguard
# (seed 002: India under standard contractual clauses, Art. 46(2)).

EEA: Final = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
        "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip


class TicketState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


TICKET_TRANSITIONS: Final[Mapping[TicketState, frozenset[TicketState]]] = {
    TicketState.OPEN: frozenset({TicketState.CLOSED}),
    TicketState.CLOSED: frozenset({TicketState.OPEN}),
}


def check_ticket_move(now: str, to: str) -> None:
    if to not in TicketState.__members__.values():
        raise RuleError("ticket.state_unknown", "state", "A ticket is closed or reopened.")
    if TicketState(to) not in TICKET_TRANSITIONS.get(TicketState(now), frozenset()):
        raise RuleError(
            f"ticket.{now}_to_{to}",
            "state",
            f"A ticket that is {now} cannot become {to}.",
            state_from=now,
            state_to=to,
        )


def check_handler(*, processor: str, country: str, safeguard: str) -> str:
    """The handler's country (ISO 3166 alpha-2); a processor's staff outside the EU/EEA needs
    the transfer's safeguard."""
    code = country.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise RuleError("ticket.country", "country", "Give the country as two letters (SE, IN).")
    if processor.strip() and code not in EEA and not safeguard.strip():
        raise RuleError(
            "ticket.safeguard",
            "safeguard",
            "A processor's staff outside the EU/EEA handle data only under a safeguard: name it.",
        )
    return code
