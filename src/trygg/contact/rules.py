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
"""

from __future__ import annotations

import datetime as dt
import enum
import random
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
