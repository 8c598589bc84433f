"""The chart of accounts: every internal ledger account trygg books to, in one place.

A customer's account is opened for the customer; the bank's and the insurer's own accounts
(deposits from outside, clearing of outgoing payments, Bankgirot's settlements, premium income,
claims paid, securities settlement) are the entries here. Services name an entry, never a
number: ``internal_account(chart.PREMIUM_INCOME)``; the ledger opens the account on first use
and refuses a number that is not in this chart. Pure: no Django.
"""

from __future__ import annotations

from typing import Final, NamedTuple


class LedgerAccount(NamedTuple):
    """An entry of the chart: the account's number in the ledger and its name."""

    number: str
    name: str
    currency: str = "SEK"


# Money entering and leaving the bank.
FUNDING: Final = LedgerAccount("INT-FUNDING", "Deposits from outside the bank")
OUTGOING_CLEARING: Final = LedgerAccount("INT-OUT-CLEARING", "Outgoing payments clearing")
SECURITIES_SETTLEMENT: Final = LedgerAccount("INT-SECURITIES", "Securities settlement")

# Premiums: collected by Autogiro (settled by Bankgirot) or paid to the insurer's bankgiro.
AUTOGIRO_SETTLEMENT: Final = LedgerAccount("INT-AUTOGIRO", "Autogiro settlement (Bankgirot)")
INCOMING_GIRO: Final = LedgerAccount("INT-BANKGIRO-IN", "Bankgiro payments received")
PREMIUM_INCOME: Final = LedgerAccount("INT-PREMIUMS", "Premium income")

# The protection service's Norwegian payments: Nets settles each OCR giro file in one sum;
# what matches no open invoice waits in the suspense account for customer service.
NETS_OCR_SETTLEMENT: Final = LedgerAccount("INT-NETS-OCR", "Nets OCR giro settlement", "NOK")
PROTECTION_INCOME: Final = LedgerAccount("INT-PROTECTION", "Protection service income", "NOK")
PROTECTION_SUSPENSE: Final = LedgerAccount(
    "INT-PROT-SUSPENSE", "Protection payments not matched", "NOK"
)
# The key tag's finder's reward, paid out to Norwegian accounts.
FINDER_REWARDS: Final = LedgerAccount("INT-FINDER-REWARD", "Finders' rewards (key tags)", "NOK")
NOK_OUTGOING: Final = LedgerAccount("INT-NOK-OUT", "Outgoing payments clearing (NOK)", "NOK")
# Claims on the insurances the protection service distributes, paid out to Norwegian accounts.
PROTECTION_CLAIMS: Final = LedgerAccount(
    "INT-PROT-CLAIMS", "Claims paid (protection insurances)", "NOK"
)

# Claims: benefits paid out.
CLAIMS_PAYABLE: Final = LedgerAccount("INT-CLAIMS", "Claims paid (accident insurance)")

CHART: Final[tuple[LedgerAccount, ...]] = (
    FUNDING,
    OUTGOING_CLEARING,
    SECURITIES_SETTLEMENT,
    AUTOGIRO_SETTLEMENT,
    INCOMING_GIRO,
    PREMIUM_INCOME,
    CLAIMS_PAYABLE,
    NETS_OCR_SETTLEMENT,
    PROTECTION_INCOME,
    PROTECTION_SUSPENSE,
    FINDER_REWARDS,
    NOK_OUTGOING,
    PROTECTION_CLAIMS,
)

_BY_NUMBER: Final[dict[str, LedgerAccount]] = {entry.number: entry for entry in CHART}


def in_chart(entry: LedgerAccount) -> bool:
    """Whether ``entry`` is one of the chart's accounts, number and name alike."""
    return _BY_NUMBER.get(entry.number) == entry
