"""The form's completeness rules at their edges (a signature of exactly 14 days is accepted), and
the application's state table with its four-eyes rule."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.insurance.application_rules import (
    LEADS_TO,
    SECOND_PERSON,
    STEPS,
    Answer,
    ApplicationFacts,
    FourEyesError,
    Question,
    State,
    Step,
    TransitionError,
    missing_items,
    transition,
)
from trygg.insurance.rules import Kind

RECEIVED = dt.date(2026, 11, 20)


def _facts(signed: dt.date, health_signed: dt.date) -> ApplicationFacts:
    return ApplicationFacts(
        kind=Kind.NEW,
        received_on=RECEIVED,
        signed_on=signed,
        health_signed_on=health_signed,
        personal_fields={"holder_street": "Kungsgatan 2"},
        questions=[Question("medication", refers_on_yes=True, detail_on_yes=True)],
        answers={"medication": Answer(False)},
        replaces_other=False,
    )


@pytest.mark.parametrize(
    ("days", "codes"),
    [
        (0, set()),
        (14, set()),
        (15, {"signature.too_old", "health_signature.too_old"}),
        (-1, {"signature.future"}),
    ],
)
def test_signature_age_at_arrival(days: int, codes: set[str]) -> None:
    signed = RECEIVED - dt.timedelta(days=days)
    found = {m.code for m in missing_items(_facts(signed, signed))}
    assert found == codes


# -- the application's state table -----------------------------------------------------------


PROPOSER, SECOND = 7, 8


@pytest.mark.parametrize(
    ("current", "step", "wanted"),
    [
        (None, Step.RECEIVE, State.RECEIVED),
        (State.RECEIVED, Step.SUBMIT, State.SUBMITTED),
        (State.RECEIVED, Step.RETURN, State.RETURNED),
        (State.RETURNED, Step.RETURN, State.RETURNED),
        (State.RETURNED, Step.SUBMIT, State.SUBMITTED),
        (State.SUBMITTED, Step.ACCEPT, State.ACCEPTED),
        (State.SUBMITTED, Step.REFER, State.REFERRED),
        (State.REFERRED, Step.ACCEPT, State.ACCEPTED),
        (State.REFERRED, Step.REQUEST_INFO, State.INFO_REQUESTED),
        (State.REFERRED, Step.DECLINE_PROPOSE, State.DECLINE_PROPOSED),
        (State.INFO_REQUESTED, Step.INFO_RECEIVED, State.REFERRED),
        (State.INFO_REQUESTED, Step.WITHDRAW, State.WITHDRAWN),
    ],
)
def test_allowed_steps_lead_where_the_table_says(
    current: State | None, step: Step, wanted: State
) -> None:
    assert transition(current, step, by=SECOND) is wanted


@pytest.mark.parametrize(
    ("current", "step"),
    [
        (State.INFO_REQUESTED, Step.ACCEPT),  # the applicant has not answered yet
        (State.REFERRED, Step.INFO_RECEIVED),  # nothing was asked
        (State.SUBMITTED, Step.DECLINE_PROPOSE),
        (State.ACCEPTED, Step.WITHDRAW),
        (State.DECLINED, Step.DECLINE_REJECT),
        (None, Step.SUBMIT),
        (State.RECEIVED, Step.RECEIVE),
    ],
)
def test_steps_the_table_does_not_hold_are_refused(current: State | None, step: Step) -> None:
    with pytest.raises(TransitionError) as refused:
        transition(current, step, by=SECOND)
    assert refused.value.code == "application.state"
    assert refused.value.wanted is LEADS_TO[step]


@pytest.mark.parametrize("step", list(Step))
def test_the_proposer_of_a_decline_cannot_move_the_application_by_any_step(step: Step) -> None:
    """Confirm, reject, 'info received', accept, ask, propose again, withdraw: every side door
    is shut for the proposer, and for a step without a named person."""
    for by in (PROPOSER, None):
        with pytest.raises(FourEyesError) as refused:
            transition(State.DECLINE_PROPOSED, step, by=by, proposed_by=PROPOSER)
        assert refused.value.code == "underwriting.four_eyes"


@pytest.mark.parametrize("step", list(Step))
def test_a_second_underwriter_only_confirms_or_rejects_a_proposed_decline(step: Step) -> None:
    if step in (Step.DECLINE_CONFIRM, Step.DECLINE_REJECT):
        assert transition(State.DECLINE_PROPOSED, step, by=SECOND, proposed_by=PROPOSER) in (
            State.DECLINED,
            State.REFERRED,
        )
    else:
        with pytest.raises(TransitionError):
            transition(State.DECLINE_PROPOSED, step, by=SECOND, proposed_by=PROPOSER)


def test_the_table_covers_every_state_and_ends_in_final_states() -> None:
    assert set(STEPS) == {None, *State}
    assert set(LEADS_TO) == set(Step)
    final = {s for s, steps in STEPS.items() if not steps}
    assert final == {State.ACCEPTED, State.DECLINED, State.WITHDRAWN}
    assert SECOND_PERSON <= set(State) - final
