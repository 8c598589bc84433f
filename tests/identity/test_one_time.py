"""One success per one-time thing: a token code, a PIN letter's PIN, a PIN letter's print.

"At the same moment" is reproduced two ways: deterministically, by letting a second session
finish its whole request in the middle of the first one (after the first has checked the code,
before it has taken it: the window a race needs), on every database; and with real threads on
PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from tests.conftest import Customer, make_customer
from trygg.identity import services, tokens
from trygg.identity.attempts import LoginRefused
from trygg.identity.models import (
    LoginEvent,
    PinCredential,
    PinLetter,
    PinLetterStatus,
    SecurityToken,
    TokenKind,
)
from trygg.identity.otp.totp import totp_now
from trygg.identity.services import pin_change, pin_letter_dispatch, pin_letter_issue, pin_login
from trygg.identity.tokens import (
    token_dispatch,
    token_expected_response,
    token_hand_over,
    token_login,
    token_login_start,
    token_order,
    token_seed_b32,
)
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import Conflict, DomainError, ValidationFailed


def _active(customer: Customer, kind: str) -> SecurityToken:
    token = token_order(ctx=SYSTEM, party=customer.party, kind=kind)
    token_dispatch(ctx=SYSTEM, token=token, by_post=False)
    token_hand_over(ctx=SYSTEM, token=token)
    token.refresh_from_db()
    return token


def _interleaved(monkeypatch: Any, module: Any, name: str, other: Callable[[], Any]) -> list[Any]:
    """Wrap ``module.name`` so that its first call lets ``other`` (a second session's whole
    request) run to the end first; returns what ``other`` gave (or raised)."""
    original = getattr(module, name)
    outcome: list[Any] = []

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if not outcome:
            outcome.append(None)
            try:
                outcome[0] = other()
            except DomainError as error:
                outcome[0] = error
        return result

    monkeypatch.setattr(module, name, wrapper)
    return outcome


def _successes(customer: Customer) -> int:
    return LoginEvent.objects.filter(party=customer.party, success=True, method="token").count()


@pytest.mark.django_db
def test_a_totp_code_sent_from_two_sessions_at_once_logs_in_once(
    customer: Customer, frozen: Any, monkeypatch: Any
) -> None:
    token = _active(customer, TokenKind.TOTP)
    code = totp_now(token_seed_b32(token), at=clock.now())

    def other_session() -> Any:
        started = token_login_start(id_number=customer.id_number)
        return token_login(ctx=SYSTEM, started=started, response=code)

    other = _interleaved(monkeypatch, tokens, "_check", other_session)
    with pytest.raises(LoginRefused):
        token_login(
            ctx=SYSTEM, started=token_login_start(id_number=customer.id_number), response=code
        )
    assert other[0].party == customer.party  # the other session won
    assert _successes(customer) == 1


@pytest.mark.django_db
def test_an_ocra_response_sent_from_two_sessions_at_once_logs_in_once(
    customer: Customer, monkeypatch: Any
) -> None:
    token = _active(customer, TokenKind.OCRA)
    started = token_login_start(id_number=customer.id_number)
    response = token_expected_response(token, started.challenge)
    other = _interleaved(
        monkeypatch,
        tokens,
        "_check",
        lambda: token_login(ctx=SYSTEM, started=started, response=response),
    )
    with pytest.raises(LoginRefused):
        token_login(ctx=SYSTEM, started=started, response=response)
    assert other[0].party == customer.party
    assert _successes(customer) == 1
    # A fresh challenge, a fresh response: the token works on.
    again = token_login_start(id_number=customer.id_number)
    assert token_login(
        ctx=SYSTEM, started=again, response=token_expected_response(token, again.challenge)
    )


@pytest.mark.django_db(transaction=True)
def test_threads_sending_one_token_code_at_once_get_one_log_in(monkeypatch: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises its writers)")
    customer = make_customer()
    token = _active(customer, TokenKind.OCRA)
    started = token_login_start(id_number=customer.id_number)
    response = token_expected_response(token, started.challenge)
    threads_count = 4
    barrier = threading.Barrier(threads_count, timeout=20)
    original = tokens._check

    def checked_together(*args: Any) -> Any:
        result = original(*args)
        barrier.wait()  # every thread has verified the response before any takes it
        return result

    monkeypatch.setattr(tokens, "_check", checked_together)
    outcomes: list[str] = []
    lock = threading.Lock()

    def session() -> None:
        try:
            token_login(ctx=SYSTEM, started=started, response=response)
            outcome = "ok"
        except LoginRefused as refusal:
            outcome = refusal.code
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=session) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["login.failed"] * (threads_count - 1) + ["ok"]
    assert _successes(customer) == 1


@pytest.mark.django_db
def test_a_letter_pin_is_replaced_once_even_by_two_sessions_at_once(
    monkeypatch: Any,
) -> None:
    customer = make_customer(born=dt.date(1990, 7, 30), pin="5067", must_change=True)

    def other_session() -> None:
        pin_change(
            ctx=SYSTEM,
            party=customer.party,
            current_pin="5067",
            new_pin="8264",
            new_pin_repeat="8264",
        )

    other = _interleaved(monkeypatch, services, "attempt_count", other_session)
    with pytest.raises(ValidationFailed) as refused:
        pin_change(
            ctx=SYSTEM,
            party=customer.party,
            current_pin="5067",
            new_pin="3718",
            new_pin_repeat="3718",
        )
    assert other == [None] and refused.value.field == "current_pin"
    monkeypatch.undo()
    assert pin_login(ctx=SYSTEM, id_number=customer.id_number, pin="8264")  # the first PIN holds
    assert not PinCredential.objects.get(party=customer.party).must_change


@pytest.mark.django_db
def test_a_pin_letter_is_printed_once_even_from_a_stale_page(customer: Customer) -> None:
    letter = pin_letter_issue(ctx=SYSTEM, party=customer.party)
    stale = PinLetter.objects.get(pk=letter.pk)  # two clerks opened the same letter
    assert pin_letter_dispatch(ctx=SYSTEM, letter=letter).startswith(b"%PDF")
    with pytest.raises(ValidationFailed) as again:
        pin_letter_dispatch(ctx=SYSTEM, letter=stale)
    assert again.value.code == "pin_letter.not_waiting"
    letter.refresh_from_db()
    assert letter.status == PinLetterStatus.DISPATCHED and letter.document is None


@pytest.mark.django_db(transaction=True)
def test_threads_printing_one_pin_letter_get_one_pdf() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises its writers)")
    customer = make_customer()
    letter = pin_letter_issue(ctx=SYSTEM, party=customer.party)
    barrier = threading.Barrier(4, timeout=20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def clerk() -> None:
        barrier.wait()
        try:
            pin_letter_dispatch(ctx=SYSTEM, letter=letter)
            outcome = "pdf"
        except ValidationFailed as refusal:
            outcome = refusal.code
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=clerk) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["pdf"] + ["pin_letter.not_waiting"] * 3


def _signed_payment(customer: Customer) -> tuple[Any, Any]:
    from tests.identity.test_signing import _payment
    from trygg.identity.signing import signing_complete_with_token, signing_start

    token = _active(customer, TokenKind.OCRA)
    request = _payment()
    order = signing_start(
        ctx=SYSTEM, signer=customer.party, acting_for=customer.party, request=request
    )
    stale = type(order).objects.get(pk=order.pk)
    response = token_expected_response(token, order.challenge)
    signing_complete_with_token(ctx=SYSTEM, order=order, response=response)
    with pytest.raises(Conflict):  # the same response again, from a page loaded before
        signing_complete_with_token(ctx=SYSTEM, order=stale, response=response)
    return order, request


@pytest.mark.django_db
def test_a_signing_order_is_signed_once(customer: Customer) -> None:
    order, _request = _signed_payment(customer)
    order.refresh_from_db()
    assert order.state == "signed"


@pytest.mark.django_db(transaction=True)
def test_threads_executing_one_signed_order_execute_it_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises its writers)")
    from trygg.identity.signing import signed_execution

    customer = make_customer()
    order, request = _signed_payment(customer)
    barrier = threading.Barrier(4, timeout=20)
    executed: list[str] = []
    lock = threading.Lock()

    def session() -> None:
        barrier.wait()
        try:
            with signed_execution(
                ctx=SYSTEM,
                public_id=order.public_id,
                signer=customer.party,
                function=request.function,
                payload=request.payload,
            ):
                outcome = "executed"
        except ValidationFailed as refusal:
            outcome = refusal.code
        finally:
            connection.close()
        with lock:
            executed.append(outcome)

    threads = [threading.Thread(target=session) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(executed) == ["executed"] + ["signing.not_signed"] * 3
