"""Security tokens: life cycle, log-in with challenge and response, shared lockout, replay."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import Customer, make_customer
from trygg.identity.attempts import LoginRefused
from trygg.identity.models import LoginEvent, SecurityToken, TokenKind, TokenState
from trygg.identity.otp.totp import totp_now
from trygg.identity.services import pin_login
from trygg.identity.tokens import (
    token_dispatch,
    token_expected_response,
    token_hand_over,
    token_login,
    token_login_start,
    token_order,
    token_report_lost,
    token_revoke,
    token_seed_b32,
)
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM, AuditContext
from trygg.kernel.errors import ValidationFailed

STAFF = AuditContext(
    actor_kind="staff", actor_id="1", actor_label="kundtjanst", channel="back-office"
)


def _active(customer: Customer, kind: str = TokenKind.OCRA) -> SecurityToken:
    token = token_order(ctx=STAFF, party=customer.party, kind=kind)
    token_dispatch(ctx=STAFF, token=token, by_post=False)
    token_hand_over(ctx=STAFF, token=token)
    token.refresh_from_db()
    return token


@pytest.mark.django_db
def test_life_cycle_by_post_and_by_office(customer: Customer, other_customer: Customer) -> None:
    token = token_order(ctx=STAFF, party=customer.party)
    assert token.state == TokenState.ORDERED and token.serial.startswith("TRG")
    assert bytes(token.seed_encrypted) and token_seed_b32(token) not in str(
        bytes(token.seed_encrypted)
    )
    with pytest.raises(ValidationFailed) as exc:
        token_dispatch(ctx=STAFF, token=token, by_post=True)
    assert exc.value.field == "tracking_number"
    token_dispatch(ctx=STAFF, token=token, by_post=True, tracking_number="RR123456785SE")
    assert token.state == TokenState.SENT
    token_report_lost(ctx=STAFF, token=token)
    with pytest.raises(ValidationFailed) as exc:
        token_hand_over(ctx=STAFF, token=token)
    assert exc.value.code == "token.transition"
    second = _active(customer)
    assert second.state == TokenState.ACTIVE
    with pytest.raises(ValidationFailed) as exc:
        token_order(ctx=STAFF, party=customer.party)
    assert exc.value.code == "token.open_exists"
    token_revoke(ctx=STAFF, token=second)
    assert token_order(ctx=STAFF, party=customer.party).state == TokenState.ORDERED


@pytest.mark.django_db
def test_ocra_login_with_the_challenge_shown(customer: Customer) -> None:
    token = _active(customer)
    started = token_login_start(id_number=customer.id_number)
    assert len(started.challenge) == 8 and started.challenge.isdigit()
    result = token_login(
        ctx=SYSTEM, started=started, response=token_expected_response(token, started.challenge)
    )
    assert result.party == customer.party
    event = LoginEvent.objects.filter(party=customer.party).latest("occurred_at")
    assert (event.method, event.success) == ("token", True)


@pytest.mark.django_db
def test_a_response_to_another_challenge_is_refused(customer: Customer) -> None:
    token = _active(customer)
    first = token_login_start(id_number=customer.id_number)
    second = token_login_start(id_number=customer.id_number)
    assert first.challenge != second.challenge
    with pytest.raises(LoginRefused):
        token_login(
            ctx=SYSTEM, started=second, response=token_expected_response(token, first.challenge)
        )


@pytest.mark.django_db
def test_token_and_pin_failures_share_one_counter(customer: Customer) -> None:
    _active(customer)
    for _ in range(3):
        with pytest.raises(LoginRefused):
            pin_login(ctx=SYSTEM, id_number=customer.id_number, pin="9999")
    started = token_login_start(id_number=customer.id_number)
    with pytest.raises(LoginRefused) as fourth:
        token_login(ctx=SYSTEM, started=started, response="12345678")
    assert fourth.value.attempts_left == 1
    with pytest.raises(LoginRefused) as fifth:
        token_login(ctx=SYSTEM, started=started, response="12345678")
    assert fifth.value.code == "login.locked"
    with pytest.raises(LoginRefused):
        pin_login(ctx=SYSTEM, id_number=customer.id_number, pin=customer.pin)


@pytest.mark.django_db
def test_no_token_answers_like_a_wrong_code(customer: Customer) -> None:
    started = token_login_start(id_number=customer.id_number)  # a challenge all the same
    with pytest.raises(LoginRefused) as without:
        token_login(ctx=SYSTEM, started=started, response="12345678")
    other = make_customer(born=dt.date(1966, 1, 2), pin="7391")
    _active(other)
    started = token_login_start(id_number=other.id_number)
    with pytest.raises(LoginRefused) as wrong:
        token_login(ctx=SYSTEM, started=started, response="12345678")
    assert (without.value.code, without.value.message) == (wrong.value.code, wrong.value.message)


@pytest.mark.django_db
def test_totp_token_logs_in_once_per_code(customer: Customer, frozen: Any) -> None:
    token = _active(customer, TokenKind.TOTP)
    code = totp_now(token_seed_b32(token), at=clock.now())
    started = token_login_start(id_number=customer.id_number)
    assert token_login(ctx=SYSTEM, started=started, response=code).party == customer.party
    with pytest.raises(LoginRefused):  # the same code again: a replay
        token_login(
            ctx=SYSTEM, started=token_login_start(id_number=customer.id_number), response=code
        )
    frozen(dt.timedelta(seconds=30))
    code = totp_now(token_seed_b32(token), at=clock.now())
    assert token_login(ctx=SYSTEM, started=started, response=code).party == customer.party


@pytest.mark.django_db
@pytest.mark.parametrize("response", ["", "abc", "12", "123456789", None, 12345678])
def test_malformed_response_names_the_field(customer: Customer, response: Any) -> None:
    started = token_login_start(id_number=customer.id_number)
    with pytest.raises(ValidationFailed) as exc:
        token_login(ctx=SYSTEM, started=started, response=response)
    assert exc.value.field == "response"


@pytest.mark.django_db
def test_a_posted_token_is_activated_by_its_owner(customer: Customer) -> None:
    from trygg.identity.tokens import token_activate

    token = token_order(ctx=STAFF, party=customer.party)
    token_dispatch(ctx=STAFF, token=token, by_post=True, tracking_number="RR123456785SE")
    with pytest.raises(ValidationFailed) as exc:
        token_activate(ctx=SYSTEM, party=customer.party, challenge="12345679", response="00000001")
    assert exc.value.code == "token.wrong_code"
    token.refresh_from_db()
    assert token.state == TokenState.SENT
    token_activate(
        ctx=SYSTEM,
        party=customer.party,
        challenge="12345679",
        response=token_expected_response(token, "12345679"),
    )
    token.refresh_from_db()
    assert token.state == TokenState.ACTIVE and token.activated_at is not None
    started = token_login_start(id_number=customer.id_number)
    assert token_login(
        ctx=SYSTEM, started=started, response=token_expected_response(token, started.challenge)
    )
