"""The form's completeness rules at their edges: a signature of exactly 14 days is accepted."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.insurance.application_rules import Answer, ApplicationFacts, Question, missing_items
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
