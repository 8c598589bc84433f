"""Fixtures of the insurance tests: a customer with a signing token, underwriters, answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group

from tests.banking.conftest import sign, with_token
from tests.conftest import Customer
from trygg.identity.models import StaffUser
from trygg.insurance.applications import (
    AnswerInput,
    ApplicationInput,
    application_start,
    application_submit,
    questions,
)
from trygg.insurance.models import Application
from trygg.kernel.audit import SYSTEM


@pytest.fixture
def applicant(customer: Customer, frozen: Any) -> Customer:
    with_token(customer)
    return customer


def no_to_all() -> dict[str, AnswerInput]:
    return {q.code: AnswerInput(False) for q in questions()}


def online_input(customer: Customer, **changes: Any) -> ApplicationInput:
    values: dict[str, Any] = {
        "kind": "new",
        "level": 30,
        "payment_method": "autogiro",
        "period": "monthly",
        "start_date": dt.date(2026, 12, 1),
        "replaces_other": False,
        "insured_id_number": customer.id_number,
        "insured_given_name": customer.party.given_name,
        "insured_family_name": customer.party.family_name,
        "answers": no_to_all(),
        "privacy_notice_shown": True,
    }
    values.update(changes)
    return ApplicationInput(**values)


def apply_online(customer: Customer, data: ApplicationInput) -> Application:
    order = application_start(ctx=SYSTEM, person=customer.party, data=data)
    sign(customer, order)
    return application_submit(
        ctx=SYSTEM, person=customer.party, signing_id=order.public_id, data=data
    )


def underwriter(username: str) -> StaffUser:
    user = StaffUser.objects.create_user(username=username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="underwriter"))
    return user
