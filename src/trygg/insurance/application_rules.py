"""Pure rules of the application: completeness, the health declaration, the case's states.

No Django. The seed's instructions on the paper form are the completeness rules: every personal
field filled in, the application and "Min hälsa" signed, every question answered, a changed
answer signed for, the signature not older than 14 days when the application arrives. An
incomplete application is returned with exactly the list this module produces.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from trygg.insurance.rules import KINDS_WITH_HEALTH_DECLARATION, SIGNATURE_MAX_AGE, Kind


@dataclass(frozen=True)
class Question:
    code: str
    refers_on_yes: bool  # a yes sends the application to an underwriter
    detail_on_yes: bool  # a yes must be explained


@dataclass(frozen=True)
class Answer:
    yes: bool | None  # None: not answered
    detail: str = ""
    corrected: bool = False  # the answer was changed on the form
    correction_signed: bool = False  # ... and the change was signed for


@dataclass(frozen=True)
class Missing:
    code: str
    field: str
    params: Mapping[str, str] | None = None


@dataclass(frozen=True)
class ApplicationFacts:
    kind: Kind
    received_on: dt.date
    signed_on: dt.date | None  # the application's signature
    health_signed_on: dt.date | None  # the health declaration's signature
    personal_fields: Mapping[str, str]  # field -> value, each required
    questions: Sequence[Question]
    answers: Mapping[str, Answer]
    replaces_other: bool | None  # the yes/no question must be answered


def missing_items(facts: ApplicationFacts) -> list[Missing]:
    """Everything that keeps the application from being complete, in the form's order."""
    missing: list[Missing] = [
        Missing("missing.field", name) for name, value in facts.personal_fields.items() if not value
    ]
    if facts.replaces_other is None:
        missing.append(Missing("missing.replaces_other", "replaces_other"))
    if facts.signed_on is None:
        missing.append(Missing("missing.signature", "signed_on"))
    elif facts.received_on - facts.signed_on > SIGNATURE_MAX_AGE:
        missing.append(
            Missing("signature.too_old", "signed_on", {"signed_on": facts.signed_on.isoformat()})
        )
    elif facts.signed_on > facts.received_on:
        missing.append(Missing("signature.future", "signed_on"))
    if facts.kind in KINDS_WITH_HEALTH_DECLARATION:
        if facts.health_signed_on is None:
            missing.append(Missing("missing.health_signature", "health_signed_on"))
        elif facts.received_on - facts.health_signed_on > SIGNATURE_MAX_AGE:
            missing.append(
                Missing(
                    "health_signature.too_old",
                    "health_signed_on",
                    {"signed_on": facts.health_signed_on.isoformat()},
                )
            )
        for question in facts.questions:
            answer = facts.answers.get(question.code, Answer(None))
            field = f"health.{question.code}"
            if answer.yes is None:
                missing.append(Missing("missing.answer", field, {"question": question.code}))
                continue
            if answer.yes and question.detail_on_yes and not answer.detail.strip():
                missing.append(Missing("missing.answer_detail", field, {"question": question.code}))
            if answer.corrected and not answer.correction_signed:
                missing.append(
                    Missing("missing.correction_signature", field, {"question": question.code})
                )
    return missing


def referrals(questions: Sequence[Question], answers: Mapping[str, Answer]) -> list[str]:
    """The questions whose answers need an underwriter; none means automatic acceptance."""
    return [
        q.code
        for q in questions
        if q.refers_on_yes and answers.get(q.code, Answer(None)).yes is True
    ]


class State(enum.StrEnum):
    RECEIVED = "received"  # entered, completeness not yet checked
    RETURNED = "returned"  # incomplete: returned to the applicant with what is missing
    SUBMITTED = "submitted"  # complete, awaiting underwriting
    REFERRED = "referred"  # in the underwriters' queue
    INFO_REQUESTED = "info_requested"  # underwriter asked the applicant for more
    DECLINE_PROPOSED = "decline_proposed"  # one underwriter declines; a second must confirm
    ACCEPTED = "accepted"  # a policy is issued
    DECLINED = "declined"  # archived with the reasons
    WITHDRAWN = "withdrawn"


TRANSITIONS: Final[Mapping[State, frozenset[State]]] = {
    State.RECEIVED: frozenset({State.SUBMITTED, State.RETURNED, State.WITHDRAWN}),
    State.RETURNED: frozenset({State.SUBMITTED, State.RETURNED, State.WITHDRAWN}),
    State.SUBMITTED: frozenset({State.ACCEPTED, State.REFERRED}),
    State.REFERRED: frozenset(
        {State.ACCEPTED, State.INFO_REQUESTED, State.DECLINE_PROPOSED, State.WITHDRAWN}
    ),
    State.INFO_REQUESTED: frozenset({State.REFERRED, State.WITHDRAWN}),
    State.DECLINE_PROPOSED: frozenset({State.DECLINED, State.REFERRED}),
    State.ACCEPTED: frozenset(),
    State.DECLINED: frozenset(),
    State.WITHDRAWN: frozenset(),
}


class TransitionError(ValueError):
    def __init__(self, current: State, wanted: State) -> None:
        super().__init__(f"An application that is {current} cannot become {wanted}.")
        self.code = "application.state"
        self.current = current
        self.wanted = wanted


def transition(current: State, wanted: State) -> State:
    """The one check of the application's state table."""
    if wanted not in TRANSITIONS[current]:
        raise TransitionError(current, wanted)
    return wanted
