"""Pure rules of the accident insurance: tariff, quote, start-date window, payment choices.

No Django. The tariff is data (see ``models.Tariff``); this module computes with it:

- The insured level is a whole number of price base amounts (PBB); the base amount
  (grundbelopp) is level × the PBB of the year in question, the maximum disability payout twice
  that (seed 001).
- The annual price is the tariff's price for the level; it applies to an insured person who has
  turned 19 (``price_from_age``). The seed's tariff has no price below that age, so a younger
  insured is refused with that rule (children are insured under another product).
- A person who has turned 46 (``limited_from_age``) may take at most 40 PBB
  (``limited_max_level``). Age is counted on the insurance's start date.
- Monthly and half-yearly payment may carry a surcharge in percent (data per tariff version);
  the price per period is the annual price with the surcharge, divided into the period's
  instalments; the instalments of a year add up exactly to the year's price (öre remainders go to
  the first instalment).
- Start date: at the earliest the day after the application; at the latest three months after
  the day the complete application was signed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from trygg.kernel.idnumbers import completed_years
from trygg.kernel.money import Money
from trygg.kernel.statetable import StateTable

LEVELS: Final = (10, 20, 30, 40, 50)


class RuleError(ValueError):
    """A refusal naming the rule (``code``, stable) and the field it concerns."""

    def __init__(self, code: str, field: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.field = field
        self.message = message
        self.params = params


class Period(enum.StrEnum):
    MONTHLY = "monthly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"

    @property
    def instalments(self) -> int:
        return {"monthly": 12, "half_yearly": 2, "yearly": 1}[self.value]

    @property
    def months(self) -> int:
        return 12 // self.instalments


class PaymentMethod(enum.StrEnum):
    INVOICE = "invoice"
    AUTOGIRO = "autogiro"  # a new autogiro mandate is applied for
    EXISTING_AUTOGIRO = "existing_autogiro"  # paid through the payer's autogiro already in force


ALLOWED_PERIODS: Final[Mapping[PaymentMethod, frozenset[Period]]] = {
    # The application form: "Faktura helår / Faktura halvår"; autogiro "Månad / Halvår / Helår".
    PaymentMethod.INVOICE: frozenset({Period.YEARLY, Period.HALF_YEARLY}),
    PaymentMethod.AUTOGIRO: frozenset(Period),
    PaymentMethod.EXISTING_AUTOGIRO: frozenset(Period),
}


@dataclass(frozen=True)
class Tariff:
    """One version of the product's price sheet."""

    version: str
    valid_from: dt.date
    prices: Mapping[int, Decimal]  # level (PBB) -> annual price, SEK
    surcharges: Mapping[Period, Decimal] = field(default_factory=dict)  # percent
    price_from_age: int = 19
    limited_from_age: int = 46
    limited_max_level: int = 40

    def surcharge(self, period: Period) -> Decimal:
        return self.surcharges.get(period, Decimal(0))


@dataclass(frozen=True)
class Quote:
    tariff_version: str
    pbb_year: int
    pbb: Decimal
    level: int
    age: int
    base_amount: Decimal
    max_disability: Decimal
    annual_price: Decimal  # the tariff's price, before any surcharge
    period: Period
    surcharge_percent: Decimal
    year_total: Decimal  # what a year costs when paid by this period
    instalments: tuple[Decimal, ...]  # the year's instalments; they add up to ``year_total``

    @property
    def price_per_period(self) -> Decimal:
        """The regular instalment (the first may carry an öre more, see ``instalments``)."""
        return self.instalments[-1]


def check_level(level: object, *, age: int, tariff: Tariff) -> int:
    if not isinstance(level, int) or isinstance(level, bool) or level not in tariff.prices:
        raise RuleError(
            "level.choice",
            "level",
            "Choose an insured level of "
            + ", ".join(str(x) for x in sorted(tariff.prices))
            + " price base amounts.",
            levels=sorted(tariff.prices),
        )
    if age >= tariff.limited_from_age and level > tariff.limited_max_level:
        raise RuleError(
            "level.age_limit",
            "level",
            f"A person who has turned {tariff.limited_from_age} may take at most "
            f"{tariff.limited_max_level} price base amounts.",
            age=tariff.limited_from_age,
            max=tariff.limited_max_level,
        )
    return level


def check_age(birth_date: dt.date, on: dt.date, tariff: Tariff) -> int:
    if on < birth_date:
        raise RuleError("insured.birth_date", "birth_date", "The birth date is after the date.")
    age = completed_years(birth_date, on)
    if age < tariff.price_from_age:
        raise RuleError(
            "insured.min_age",
            "birth_date",
            f"The insured must have turned {tariff.price_from_age}; the tariff has no price "
            "for younger persons.",
            age=tariff.price_from_age,
        )
    return age


def check_payment(method: object, period: object) -> tuple[PaymentMethod, Period]:
    try:
        chosen_method = PaymentMethod(str(method))
    except ValueError:
        raise RuleError(
            "payment.method", "payment_method", "Choose invoice, autogiro or existing autogiro."
        ) from None
    try:
        chosen_period = Period(str(period))
    except ValueError:
        raise RuleError(
            "payment.period", "period", "Choose monthly, half-yearly or yearly payment."
        ) from None
    if chosen_period not in ALLOWED_PERIODS[chosen_method]:
        raise RuleError(
            "payment.invoice_period",
            "period",
            "An invoice is sent for a year or a half-year; monthly payment is by autogiro.",
        )
    return chosen_method, chosen_period


def instalments(year_total: Decimal, period: Period) -> tuple[Decimal, ...]:
    parts = Money.of(year_total).allocate([1] * period.instalments)
    return tuple(p.amount for p in parts)


def price(
    tariff: Tariff, level: int, period: Period
) -> tuple[Decimal, Decimal, tuple[Decimal, ...]]:
    """(annual price, year total with the period's surcharge, instalments)."""
    annual = tariff.prices[level]
    surcharge = tariff.surcharge(period)
    total = Money.of(annual * (100 + surcharge) / 100).rounded().amount
    return annual, total, instalments(total, period)


@dataclass(frozen=True)
class LevelPrice:
    """One insured level of a tariff in kronor: what it pays and what it costs per period."""

    level: int
    base_amount: Decimal  # the disability base amount: level × the price base amount
    max_disability: Decimal  # 200 % of the base amount
    annual_price: Decimal
    monthly: Decimal  # each of twelve instalments, surcharge included
    half_yearly: Decimal
    yearly: Decimal
    limited: bool  # not open to an insured past ``tariff.limited_from_age``


def price_table(tariff: Tariff, pbb: Decimal) -> list[LevelPrice]:
    """Every level of the tariff side by side, the public price page's comparison."""
    rows = []
    for level in sorted(tariff.prices):
        base = pbb * level
        parts = {period: price(tariff, level, period)[2] for period in Period}
        rows.append(
            LevelPrice(
                level=level,
                base_amount=base,
                max_disability=base * 2,
                annual_price=tariff.prices[level],
                monthly=parts[Period.MONTHLY][0],
                half_yearly=parts[Period.HALF_YEARLY][0],
                yearly=parts[Period.YEARLY][0],
                limited=level > tariff.limited_max_level,
            )
        )
    return rows


def quote(
    tariff: Tariff,
    *,
    pbb_year: int,
    pbb: Decimal,
    birth_date: dt.date,
    level: object,
    period: object,
    on: dt.date,
) -> Quote:
    """The price and cover for an insured born on ``birth_date``, starting on ``on``."""
    try:
        chosen_period = Period(str(period))
    except ValueError:
        raise RuleError(
            "payment.period", "period", "Choose monthly, half-yearly or yearly payment."
        ) from None
    if on < tariff.valid_from:
        raise RuleError("tariff.not_valid", "date", "The tariff is not valid on this date.")
    age = check_age(birth_date, on, tariff)
    chosen_level = check_level(level, age=age, tariff=tariff)
    base = pbb * chosen_level
    annual, total, parts = price(tariff, chosen_level, chosen_period)
    return Quote(
        tariff_version=tariff.version,
        pbb_year=pbb_year,
        pbb=pbb,
        level=chosen_level,
        age=age,
        base_amount=base,
        max_disability=base * 2,
        annual_price=annual,
        period=chosen_period,
        surcharge_percent=tariff.surcharge(chosen_period),
        year_total=total,
        instalments=parts,
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it is shorter (31 May + 3 months
    is 31 August; 30 November + 3 months is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_period_start(starts_on: dt.date) -> dt.date:
    """The first day of the first whole payment period: the start itself when it is the first of
    a month, else the first of the next month. Payment periods (month, half-year, year) begin on
    the first of a month, so that every premium falls due on the first bank day of its period."""
    if starts_on.day == 1:
        return starts_on
    return add_months(starts_on.replace(day=1), 1)


def term_end(starts_on: dt.date) -> dt.date:
    """The end of the insurance year that starts on ``starts_on``: twelve whole months from the
    first period start. A policy that starts inside a month has a first term of the broken part
    of that month and twelve whole months; its later terms begin on the first of a month."""
    return add_months(first_period_start(starts_on), 12)


@dataclass(frozen=True)
class Instalment:
    """One premium of a term's schedule: ``period_start`` is the first day it pays for, ``due_from``
    the first day of the payment period whose first bank day it falls due on; ``broken`` is the
    part of ``amount`` that pays for the broken month before the first whole period."""

    period_start: dt.date
    amount: Decimal
    due_from: dt.date
    broken: Decimal = Decimal(0)


def broken_part(year_total: Decimal, starts_on: dt.date, until: dt.date) -> Decimal:
    """The premium of the days from ``starts_on`` to ``until`` (exclusive) before the first whole
    period: the year's premium pro rata by day over the insurance year that follows, in öre."""
    first = first_period_start(starts_on)
    days = (min(until, first) - starts_on).days
    if days <= 0:
        return Decimal(0)
    year_days = (add_months(first, 12) - first).days
    return Money.of(year_total * days / year_days).rounded().amount


def schedule(
    *, starts_on: dt.date, ends_on: dt.date, period: Period, year_total: Decimal
) -> list[Instalment]:
    """A term's premium schedule: the year's premium in ``period``'s instalments (their sum is
    exactly the year's premium), one per payment period from the first of the month on or after
    the start; the broken part of a month the term starts in is paid with the first instalment
    (due on the first bank day of the first whole period). A term that ends early keeps the
    instalments of the periods begun before its end (a term cut inside its broken month pays
    the broken days only)."""
    first = first_period_start(starts_on)
    broken = broken_part(year_total, starts_on, ends_on)
    parts = instalments(year_total, period)
    starts = [add_months(first, i * period.months) for i in range(period.instalments)]
    result = [
        Instalment(start, amount, start)
        for start, amount in zip(starts, parts, strict=True)
        if start < ends_on
    ]
    if broken:
        if result:
            head = result[0]
            result[0] = Instalment(starts_on, head.amount + broken, head.due_from, broken)
        else:
            result = [Instalment(starts_on, broken, first, broken)]
    return result


MAX_START_MONTHS: Final = 3


@dataclass(frozen=True)
class StartWindow:
    earliest: dt.date
    latest: dt.date

    def check(self, start: dt.date) -> dt.date:
        if start < self.earliest:
            raise RuleError(
                "start_date.too_early",
                "start_date",
                "The insurance can start at the earliest the day after the application, "
                f"{self.earliest.isoformat()}.",
                earliest=self.earliest,
            )
        if start > self.latest:
            raise RuleError(
                "start_date.too_late",
                "start_date",
                "The insurance can start at the latest three months after the complete "
                f"application was signed, {self.latest.isoformat()}.",
                latest=self.latest,
            )
        return start


def start_window(*, applied_on: dt.date, signed_on: dt.date) -> StartWindow:
    """The seed: "at the earliest the day after the day you applied; at the latest three months
    after the complete application was signed"."""
    return StartWindow(
        earliest=applied_on + dt.timedelta(days=1),
        latest=add_months(signed_on, MAX_START_MONTHS),
    )


SIGNATURE_MAX_AGE: Final = dt.timedelta(days=14)


class Kind(enum.StrEnum):
    NEW = "new"  # nyteckning
    INCREASE = "increase"  # höjning
    REEXAMINATION = "reexamination"  # omprövning/efterprövning
    CHANGE = "change"  # ändring


KINDS_WITH_HEALTH_DECLARATION: Final = frozenset({Kind.NEW, Kind.INCREASE, Kind.REEXAMINATION})
KINDS_ON_A_POLICY: Final = frozenset({Kind.INCREASE, Kind.REEXAMINATION, Kind.CHANGE})


# -- the policy's states ---------------------------------------------------------------------


class PolicyState(enum.StrEnum):
    ACTIVE = "active"  # in force
    CANCELLED = "cancelled"  # cancelled by the policyholder or the insurer
    LAPSED = "lapsed"  # ended for non-payment


# A policy is issued in force and ends once, cancelled or lapsed.
POLICY_TRANSITIONS: Final[StateTable] = {
    PolicyState.ACTIVE: frozenset({PolicyState.CANCELLED, PolicyState.LAPSED}),
    PolicyState.CANCELLED: frozenset(),
    PolicyState.LAPSED: frozenset(),
}
