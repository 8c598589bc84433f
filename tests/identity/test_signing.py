"""The signing service: what is signed is what is executed, once (dynamic linking)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Customer
from trygg.identity.models import SigningOrder, SigningState, TokenKind
from trygg.identity.sca import Function
from trygg.identity.signing import (
    SigningRequest,
    signed_execution,
    signing_complete_with_token,
    signing_start,
)
from trygg.identity.tokens import (
    token_dispatch,
    token_expected_response,
    token_hand_over,
    token_order,
)
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import Conflict, ValidationFailed


def _payment(amount: str = "1500.00", payee: str = "BG 5050-1055") -> SigningRequest:
    minor = int(Decimal(amount) * 100)
    return SigningRequest(
        function=Function.PAYMENT_NEW_ACCOUNT,
        payload={"amount": amount, "currency": "SEK", "payee": payee, "from": "9020-1234567"},
        summary=f"Betala {amount} kr till {payee}",
        amount_minor=minor,
        payee=payee,
    )


@pytest.fixture
def signer(customer: Customer) -> Customer:
    token = token_order(ctx=SYSTEM, party=customer.party, kind=TokenKind.OCRA)
    token_dispatch(ctx=SYSTEM, token=token, by_post=False)
    token_hand_over(ctx=SYSTEM, token=token)
    return customer


def _sign(customer: Customer, request: SigningRequest) -> SigningOrder:
    order = signing_start(
        ctx=SYSTEM, signer=customer.party, acting_for=customer.party, request=request
    )
    token = customer.party.security_tokens.get(state="active")
    return signing_complete_with_token(
        ctx=SYSTEM, order=order, response=token_expected_response(token, order.challenge)
    )


@pytest.mark.django_db
def test_signed_order_executes_once(signer: Customer) -> None:
    request = _payment()
    order = _sign(signer, request)
    assert order.state == SigningState.SIGNED and order.method == "token"
    with signed_execution(
        ctx=SYSTEM,
        public_id=order.public_id,
        signer=signer.party,
        function=request.function,
        payload=request.payload,
    ) as used:
        assert used.state == SigningState.USED
    with (
        pytest.raises(ValidationFailed) as again,
        signed_execution(
            ctx=SYSTEM,
            public_id=order.public_id,
            signer=signer.party,
            function=request.function,
            payload=request.payload,
        ),
    ):
        pass
    assert again.value.code == "signing.not_signed"


@pytest.mark.django_db
def test_failed_execution_leaves_the_signature_usable(signer: Customer) -> None:
    request = _payment()
    order = _sign(signer, request)

    def execute_and_fail() -> None:
        with signed_execution(
            ctx=SYSTEM,
            public_id=order.public_id,
            signer=signer.party,
            function=request.function,
            payload=request.payload,
        ):
            raise RuntimeError("insufficient funds")

    with pytest.raises(RuntimeError):
        execute_and_fail()
    order.refresh_from_db()
    assert order.state == SigningState.SIGNED


@pytest.mark.django_db
def test_a_code_for_one_order_never_approves_another(signer: Customer) -> None:
    first = signing_start(
        ctx=SYSTEM, signer=signer.party, acting_for=signer.party, request=_payment()
    )
    second = signing_start(
        ctx=SYSTEM, signer=signer.party, acting_for=signer.party, request=_payment()
    )
    assert first.challenge != second.challenge  # same data, different order: different code
    token = signer.party.security_tokens.get(state="active")
    with pytest.raises(ValidationFailed) as exc:
        signing_complete_with_token(
            ctx=SYSTEM, order=second, response=token_expected_response(token, first.challenge)
        )
    assert exc.value.code == "signing.wrong_code"


SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.django_db
@SETTINGS
@given(
    amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2),
    payee=st.sampled_from(["BG 5050-1055", "PG 4711-3", "SE45 5000 0000 0583 9825 7466"]),
    field=st.sampled_from(["amount", "payee", "currency", "from", "extra"]),
)
def test_any_change_after_signing_voids_the_signature(
    signer: Customer, amount: Decimal, payee: str, field: str
) -> None:
    request = _payment(str(amount), payee)
    order = _sign(signer, request)
    changed: dict[str, Any] = dict(request.payload)
    changed[field] = {
        "amount": str(amount + Decimal("0.01")),
        "payee": payee + "0",
        "currency": "NOK",
        "from": "9020-7654321",
        "extra": "x",
    }[field]
    with (
        pytest.raises(ValidationFailed) as exc,
        signed_execution(
            ctx=SYSTEM,
            public_id=order.public_id,
            signer=signer.party,
            function=request.function,
            payload=changed,
        ),
    ):
        pass
    assert exc.value.code == "signing.mismatch"
    order.refresh_from_db()
    assert order.state == SigningState.FAILED  # void for good, even with the right data now
    with (
        pytest.raises(ValidationFailed),
        signed_execution(
            ctx=SYSTEM,
            public_id=order.public_id,
            signer=signer.party,
            function=request.function,
            payload=request.payload,
        ),
    ):
        pass


@pytest.mark.django_db
def test_signature_for_another_function_is_refused(signer: Customer) -> None:
    request = _payment()
    order = _sign(signer, request)
    with (
        pytest.raises(ValidationFailed) as exc,
        signed_execution(
            ctx=SYSTEM,
            public_id=order.public_id,
            signer=signer.party,
            function=Function.STOCK_TRADE,
            payload=request.payload,
        ),
    ):
        pass
    assert exc.value.code == "signing.mismatch"


@pytest.mark.django_db
def test_someone_elses_signature_is_unknown(signer: Customer, other_customer: Customer) -> None:
    request = _payment()
    order = _sign(signer, request)
    with (
        pytest.raises(ValidationFailed) as exc,
        signed_execution(
            ctx=SYSTEM,
            public_id=order.public_id,
            signer=other_customer.party,
            function=request.function,
            payload=request.payload,
        ),
    ):
        pass
    assert exc.value.code == "signing.unknown"


@pytest.mark.django_db
def test_expired_orders_cannot_be_signed(signer: Customer, frozen: Any) -> None:
    order = signing_start(
        ctx=SYSTEM, signer=signer.party, acting_for=signer.party, request=_payment()
    )
    frozen(dt.timedelta(minutes=6))
    token = signer.party.security_tokens.get(state="active")
    with pytest.raises(Conflict):
        signing_complete_with_token(
            ctx=SYSTEM, order=order, response=token_expected_response(token, order.challenge)
        )


@pytest.mark.django_db
def test_functions_without_signature_are_refused(signer: Customer) -> None:
    request = SigningRequest(
        function=Function.TRANSFER_OWN_ACCOUNT, payload={}, summary="x", amount_minor=0, payee=""
    )
    with pytest.raises(ValidationFailed) as exc:
        signing_start(ctx=SYSTEM, signer=signer.party, acting_for=signer.party, request=request)
    assert exc.value.code == "signing.not_required"


@pytest.mark.django_db
def test_wrong_codes_count_towards_the_lock_and_are_audited(signer: Customer) -> None:
    from trygg.identity.services import credential_is_locked
    from trygg.kernel.models import AuditEvent

    order = signing_start(
        ctx=SYSTEM, signer=signer.party, acting_for=signer.party, request=_payment()
    )
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            signing_complete_with_token(ctx=SYSTEM, order=order, response="00000001")
    assert credential_is_locked(signer.party)
    assert (
        AuditEvent.objects.filter(action="failed-login", object_type="signing_order").count() == 5
    )
