"""The function map against the seed's two lists, and every decision it can take."""

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.identity.sca import (
    POLICY,
    SCA_RENEWAL,
    Function,
    Outcome,
    decide,
    needs_signature,
    without_token,
)

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)

# Seed 000, "Utan säkerhetsdosa kan du": overview, funds, life & pension, insurance, transfers
# to own and pre-registered accounts.
SEED_WITHOUT_TOKEN = {
    Function.OVERVIEW,
    Function.FUNDS,
    Function.LIFE_PENSION,
    Function.INSURANCE,
    Function.TRANSFER_OWN_ACCOUNT,
    Function.TRANSFER_PREREGISTERED,
}
# Seed 000, "Säkerhetsdosan behövs för att godkänna": payments to accounts that are not
# pre-registered, stock trading, autogiro and e-invoice registration.
SEED_WITH_TOKEN = {
    Function.PAYMENT_NEW_ACCOUNT,
    Function.PAYEE_REGISTER,
    Function.STOCK_TRADE,
    Function.AUTOGIRO_REGISTER,
    Function.EINVOICE_REGISTER,
}


def test_the_map_is_exactly_the_seeds_two_lists() -> None:
    assert SEED_WITHOUT_TOKEN <= without_token()
    assert SEED_WITH_TOKEN <= needs_signature()
    assert without_token() - SEED_WITHOUT_TOKEN == {Function.CONTACT_DETAILS, Function.PIN_CHANGE}
    assert needs_signature() - SEED_WITH_TOKEN == {Function.INSURANCE_APPLICATION}
    assert without_token().isdisjoint(needs_signature())
    assert set(POLICY) == set(Function)


@pytest.mark.parametrize(
    ("function", "level", "days_since_sca", "outcome"),
    [
        *[
            (f, lvl, d, Outcome.SIGN)
            for f, lvl, d in itertools.product(sorted(SEED_WITH_TOKEN), (1, 2), (None, 0, 400))
        ],
        (Function.OVERVIEW, 1, 10, Outcome.ALLOW),
        (Function.OVERVIEW, 1, 180, Outcome.ALLOW),
        (Function.OVERVIEW, 1, 181, Outcome.STEP_UP),
        (Function.OVERVIEW, 1, None, Outcome.STEP_UP),
        (Function.OVERVIEW, 2, None, Outcome.ALLOW),
        (Function.FUNDS, 1, 200, Outcome.STEP_UP),
        (Function.TRANSFER_OWN_ACCOUNT, 1, None, Outcome.ALLOW),
        (Function.TRANSFER_PREREGISTERED, 1, None, Outcome.ALLOW),
        (Function.CONTACT_DETAILS, 1, None, Outcome.ALLOW),
    ],
)
def test_decisions(
    function: Function, level: int, days_since_sca: int | None, outcome: Outcome
) -> None:
    last = None if days_since_sca is None else NOW - dt.timedelta(days=days_since_sca)
    assert decide(function, session_level=level, last_two_factor_at=last, now=NOW).outcome == (
        outcome
    )


@given(
    st.sampled_from(list(Function)),
    st.sampled_from([1, 2]),
    st.none() | st.integers(min_value=0, max_value=2000),
)
def test_two_factors_never_weaken_and_signing_is_always_per_order(
    function: Function, level: int, days: int | None
) -> None:
    last = None if days is None else NOW - dt.timedelta(days=days)
    one = decide(function, session_level=1, last_two_factor_at=last, now=NOW)
    two = decide(function, session_level=2, last_two_factor_at=last, now=NOW)
    if function in needs_signature():
        assert one.outcome == two.outcome == Outcome.SIGN
    else:
        assert two.outcome == Outcome.ALLOW
        assert one.outcome in (Outcome.ALLOW, Outcome.STEP_UP)


def test_renewal_period_is_180_days() -> None:
    assert SCA_RENEWAL == dt.timedelta(days=180)


def test_bad_level_refused() -> None:
    with pytest.raises(ValueError, match="session_level"):
        decide(Function.OVERVIEW, session_level=3, last_two_factor_at=None, now=NOW)
