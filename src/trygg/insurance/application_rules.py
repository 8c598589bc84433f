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


class Step(enum.StrEnum):
    """What is done to the application; each step is a row of the state table."""

    RECEIVE = "receive"  # entered online or from the paper form
    SUBMIT = "submit"  # found complete
    RETURN = "return"  # found incomplete: returned with what is missing
    WITHDRAW = "withdraw"
    ACCEPT = "accept"  # automatically, or by an underwriter (with an exclusion clause or not)
    REFER = "refer"  # the health declaration needs an underwriter
    REQUEST_INFO = "request_info"
    INFO_RECEIVED = "info_received"
    DECLINE_PROPOSE = "decline_propose"
    DECLINE_CONFIRM = "decline_confirm"  # by a second underwriter
    DECLINE_REJECT = "decline_reject"  # by a second underwriter: back to the queue


# Where each step leads, from whichever state it is allowed in.
LEADS_TO: Final[Mapping[Step, State]] = {
    Step.RECEIVE: State.RECEIVED,
    Step.SUBMIT: State.SUBMITTED,
    Step.RETURN: State.RETURNED,
    Step.WITHDRAW: State.WITHDRAWN,
    Step.ACCEPT: State.ACCEPTED,
    Step.REFER: State.REFERRED,
    Step.REQUEST_INFO: State.INFO_REQUESTED,
    Step.INFO_RECEIVED: State.REFERRED,
    Step.DECLINE_PROPOSE: State.DECLINE_PROPOSED,
    Step.DECLINE_CONFIRM: State.DECLINED,
    Step.DECLINE_REJECT: State.REFERRED,
}

# The state table: the steps allowed in each state (``None``: not yet entered).
STEPS: Final[Mapping[State | None, frozenset[Step]]] = {
    None: frozenset({Step.RECEIVE}),
    State.RECEIVED: frozenset({Step.SUBMIT, Step.RETURN, Step.WITHDRAW}),
    State.RETURNED: frozenset({Step.SUBMIT, Step.RETURN, Step.WITHDRAW}),
    State.SUBMITTED: frozenset({Step.ACCEPT, Step.REFER}),
    State.REFERRED: frozenset(
        {Step.ACCEPT, Step.REQUEST_INFO, Step.DECLINE_PROPOSE, Step.WITHDRAW}
    ),
    State.INFO_REQUESTED: frozenset({Step.INFO_RECEIVED, Step.WITHDRAW}),
    State.DECLINE_PROPOSED: frozenset({Step.DECLINE_CONFIRM, Step.DECLINE_REJECT}),
    State.ACCEPTED: frozenset(),
    State.DECLINED: frozenset(),
    State.WITHDRAWN: frozenset(),
}

# States that one person brought about and a second person must end (four eyes): whoever made
# the proposal cannot move the application out of them by any step; nor can a step without a
# named person (a batch, the system).
SECOND_PERSON: Final[frozenset[State]] = frozenset({State.DECLINE_PROPOSED})


class TransitionError(ValueError):
    def __init__(self, current: State | None, step: Step) -> None:
        super().__init__(
            f"An application that is {current or 'new'} cannot become {LEADS_TO[step]}."
        )
        self.code = "application.state"
        self.current = current
        self.step = step
        self.wanted = LEADS_TO[step]


class FourEyesError(ValueError):
    def __init__(self, current: State, step: Step) -> None:
        super().__init__(
            f"An application that is {current} is moved on by a second person, "
            f"not by the proposer (step {step})."
        )
        self.code = "underwriting.four_eyes"
        self.current = current
        self.step = step


def transition(
    current: State | None,
    step: Step,
    *,
    by: int | None = None,
    proposed_by: int | None = None,
) -> State:
    """The one check of the application's state table: the state ``step`` leads to from
    ``current``. ``by`` is the person taking the step (None: the system), ``proposed_by`` the
    person who brought about ``current`` when it is a four-eyes state."""
    if current in SECOND_PERSON and (by is None or by == proposed_by):
        assert current is not None
        raise FourEyesError(current, step)
    if step not in STEPS[current]:
        raise TransitionError(current, step)
    return LEADS_TO[step]
