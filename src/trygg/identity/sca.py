"""Which proof each function of the internet service needs: the seed's two lists as one
declarative map, with the PSD2 RTS on SCA exemption each "without token" entry rests on.

Pure rules, no Django. A PIN log-in is one factor (knowledge); the security token and BankID
add possession (two factors). Orders that move money to someone new, trade, or register an
autogiro or e-invoice mandate are *signed*: the one-time code or BankID signature covers the
order's own data (RTS Art. 5, dynamic linking), so it is needed per order, whatever the log-in.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Final


class Function(enum.StrEnum):
    OVERVIEW = "overview"
    FUNDS = "funds"
    LIFE_PENSION = "life_pension"
    INSURANCE = "insurance"
    TRANSFER_OWN_ACCOUNT = "transfer_own_account"
    TRANSFER_PREREGISTERED = "transfer_preregistered"
    PAYEE_REGISTER = "payee_register"
    PAYMENT_NEW_ACCOUNT = "payment_new_account"
    STOCK_TRADE = "stock_trade"
    AUTOGIRO_REGISTER = "autogiro_register"
    EINVOICE_REGISTER = "einvoice_register"
    INSURANCE_APPLICATION = "insurance_application"
    CONTACT_DETAILS = "contact_details"
    PIN_CHANGE = "pin_change"


class Proof(enum.StrEnum):
    ONE_FACTOR = "one_factor"  # the PIN log-in suffices
    SIGNATURE = "signature"  # token code or BankID signature over this order's data


@dataclass(frozen=True)
class Rule:
    proof: Proof
    basis: str  # the RTS article or the seed's list the rule comes from
    reads_account_information: bool = False  # subject to the 180-day rule of RTS Art. 10


POLICY: Final[dict[Function, Rule]] = {
    # The seed's list "without the security token" — each an exemption of the RTS.
    Function.OVERVIEW: Rule(Proof.ONE_FACTOR, "RTS Art. 10", reads_account_information=True),
    Function.FUNDS: Rule(Proof.ONE_FACTOR, "RTS Art. 10", reads_account_information=True),
    Function.LIFE_PENSION: Rule(Proof.ONE_FACTOR, "RTS Art. 10", reads_account_information=True),
    Function.INSURANCE: Rule(Proof.ONE_FACTOR, "RTS Art. 10", reads_account_information=True),
    Function.TRANSFER_OWN_ACCOUNT: Rule(Proof.ONE_FACTOR, "RTS Art. 15"),
    Function.TRANSFER_PREREGISTERED: Rule(Proof.ONE_FACTOR, "RTS Art. 13"),
    # The seed's list "the security token (or BankID) must approve".
    Function.PAYEE_REGISTER: Rule(Proof.SIGNATURE, "RTS Art. 13 (creating a trusted payee)"),
    Function.PAYMENT_NEW_ACCOUNT: Rule(Proof.SIGNATURE, "RTS Art. 5"),
    Function.STOCK_TRADE: Rule(Proof.SIGNATURE, "seed: stock trading"),
    Function.AUTOGIRO_REGISTER: Rule(Proof.SIGNATURE, "seed: autogiro registration"),
    Function.EINVOICE_REGISTER: Rule(Proof.SIGNATURE, "seed: e-invoice registration"),
    Function.INSURANCE_APPLICATION: Rule(Proof.SIGNATURE, "seed 001: signed application"),
    # Not payment functions: the customer's own details and PIN, behind the PIN log-in.
    Function.CONTACT_DETAILS: Rule(Proof.ONE_FACTOR, "not a payment function"),
    Function.PIN_CHANGE: Rule(Proof.ONE_FACTOR, "proves the current PIN"),
}

SCA_RENEWAL: Final = dt.timedelta(days=180)  # RTS Art. 10 as amended in 2022 (was 90 days)


class Outcome(enum.StrEnum):
    ALLOW = "allow"
    STEP_UP = "step_up"  # authenticate with two factors now, then continue
    SIGN = "sign"  # sign this order with token or BankID, then execute it


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    function: Function
    reason: str


def decide(
    function: Function,
    *,
    session_level: int,
    last_two_factor_at: dt.datetime | None,
    now: dt.datetime,
) -> Decision:
    """What the customer must do to use ``function`` now.

    ``session_level`` is 1 after a PIN log-in and 2 after a token or BankID log-in (or step-up);
    ``last_two_factor_at`` is the customer's latest two-factor authentication on any channel.
    """
    if session_level not in (1, 2):
        raise ValueError("session_level is 1 (one factor) or 2 (two factors)")
    rule = POLICY[function]
    if rule.proof is Proof.SIGNATURE:
        return Decision(Outcome.SIGN, function, f"{rule.basis}: each order is signed")
    stale = last_two_factor_at is None or now - last_two_factor_at > SCA_RENEWAL
    if rule.reads_account_information and session_level == 1 and stale:
        return Decision(
            Outcome.STEP_UP,
            function,
            "RTS Art. 10: strong authentication at least every 180 days",
        )
    return Decision(Outcome.ALLOW, function, rule.basis)


def without_token() -> frozenset[Function]:
    """The functions a PIN log-in opens (the seed's first list, plus the customer's own
    details and PIN)."""
    return frozenset(f for f, r in POLICY.items() if r.proof is Proof.ONE_FACTOR)


def needs_signature() -> frozenset[Function]:
    """The functions whose orders the token or BankID must approve (the seed's second list)."""
    return frozenset(f for f, r in POLICY.items() if r.proof is Proof.SIGNATURE)


# Orders a time-code token (TOTP, whose code covers no order's data) may sign: those that move
# no money to a payee, so that RTS Art. 5's dynamic linking (a code specific to the amount and
# the payee) does not apply. A payment to a new account and a new payee (a trusted beneficiary
# that later payments reach without a signature) need a code over the order: a challenge token
# or BankID. See docs/decisions/0086-time-code-tokens-and-signing.md.
TIME_CODE_MAY_SIGN: Final = frozenset(
    {
        Function.STOCK_TRADE,
        Function.AUTOGIRO_REGISTER,
        Function.EINVOICE_REGISTER,
        Function.INSURANCE_APPLICATION,
    }
)


def time_code_may_sign(function: str) -> bool:
    """Whether an order of ``function`` may be signed with a time-code token's current code."""
    return function in TIME_CODE_MAY_SIGN
