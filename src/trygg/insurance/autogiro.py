"""An insurance paid by autogiro from its application on (decision 0097).

The application asks for the account to debit; the mandate is created when the policy is issued;
the customer is told when the first premium is debited. Mandates are premium billing's, a layer
above insurance: billing checks the account, offers the customer's own accounts, creates the
mandate and works out the first debit through the functions it registers here when its app is
ready (as ``selectors.autogiro_in_force``). Without billing an application asks for no account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trygg.insurance.models import Application, Policy
    from trygg.kernel.audit import AuditContext
    from trygg.parties.models import Party


@dataclass(frozen=True)
class AutogiroAccount:
    """An account checked by its bank's rule, as the mandate will debit it."""

    clearing: str
    account: str
    bank: str
    certain: bool

    @property
    def text(self) -> str:
        return f"{self.clearing}-{self.account}"


@dataclass(frozen=True)
class FirstDebit:
    due_date: dt.date
    amount: Decimal


@dataclass(frozen=True)
class AutogiroBilling:
    # (the payer's personal identity number, the account as written) → the account; a refusal is
    # a ValidationFailed naming the field ``autogiro_account``.
    account_check: Callable[[str, str], AutogiroAccount]
    # The payer's own accounts with us that can be debited: (id, clearing and number, name).
    own_accounts: Callable[[AuditContext, Party], list[tuple[int, str, str]]]
    # The application's policy is issued: its mandate is created (inside the transaction).
    policy_issued: Callable[[AuditContext, Policy, Application], None]
    # The first premium the policy's payer pays, as billing plans it (an audited read of the
    # payer's charges); None: nothing to pay.
    first_debit: Callable[[AuditContext, Policy], FirstDebit | None]


_BILLING: list[AutogiroBilling] = []


def autogiro_billing_register(billing: AutogiroBilling) -> None:
    _BILLING[:] = [billing]


def autogiro_billing() -> AutogiroBilling | None:
    return _BILLING[0] if _BILLING else None
