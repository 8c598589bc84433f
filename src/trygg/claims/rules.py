"""Benefit calculator of the accident insurance (olycksfallsförsäkring): pure rules, no I/O.

Amounts are SEK as :class:`~decimal.Decimal` (never floats). PBB is the prisbasbelopp (price
base amount) of the year that applies to the claim; the policy's level is a whole number of PBB
(10, 20, 30, 40 or 50 in the product) and the *base amount* (grundbelopp) is level × PBB.

Benefits, each a line of the result:

* Disability (invaliditet). Medical disability (medicinsk invaliditet) of d whole percent pays
  d % × base amount below 50 % and d % × 2 × base amount from 50 %. Occupational disability
  (förvärvsmässig invaliditet, permanent incapacity for work) pays nothing below half,
  1 × base amount for at least half, 1.5 × for three quarters and 2 × for full incapacity.
  The two are **not added: the higher of the two is paid**. The seed's terms are silent on how
  the two combine; common Swedish terms pay the higher one, and so do we. On equal amounts the
  medical line is named, unless no medical degree was given. The line's item says which one was
  paid and its basis shows both. Disability never pays more than 2 × base amount.
  Disability benefits are for the living insured: if the insured died of the accident, the
  disability line is kept with amount 0 and says why; the other lines are paid as usual.
* Acute care (akutvårdsersättning): a one-off amount, once per claim, if the insured stayed in
  hospital at least one night.
* Hospital stay over night: an amount per day (dygn) × nights, at most ``hospital_max_days``.
* Medical, travel and dental-injury costs: covered when incurred from the accident date up to
  and including the ``costs_years`` anniversary of the accident; later costs are reported on
  the line as not covered, earlier ones are an error.
* Damage to clothes and glasses: the amount claimed, at most ``clothes_cap_pbb`` × PBB.
* Disfiguring scars (vanprydande ärr): a fraction of the PBB looked up by (location, size) in a
  table that is data in the terms. The seed only says "by a fixed table";
  :data:`DEFAULT_SCAR_TABLE` is the product's demo table.
* Pain and suffering (sveda och värk): only if the insured had turned ``pain_from_age`` (18) on
  the accident date. Whole months of acute illness (0..120) are paid by per-month rates in
  bands, data in the terms; :data:`DEFAULT_PAIN_BANDS` is the product's demo table, modelled on
  Swedish tort-law practice (months 1-3: 1 900 kr, months 4-12: 1 500 kr, from month 13:
  1 000 kr a month).
* Death: ``death_pbb`` × PBB, paid to the beneficiaries.

Decisions:

* Every line is rounded to öre with the one rounding rule (:meth:`Money.rounded`, half up) and
  the total is the sum of the rounded lines, so it always equals the sum shown.
* Dates: an anniversary of 29 February falls on 1 March in a non-leap year. This applies alike
  to ages (someone born on 29 February turns a year older on 1 March in non-leap years) and to
  the end of the costs period.
* Lines are listed in the order of :class:`Item`. A benefit that was not claimed has no line;
  one that was claimed but is not payable by a rule (disability after death, pain and suffering
  under 18, costs all outside the period) has a line of 0 whose basis gives the reason.
* Each line's basis is an English sentence with the numbers, and the same explanation as
  :class:`Reason` parts (a stable code and its numbers) that pages and letters translate.
* Wrong input raises :class:`BenefitError` with a stable ``code``, the input's ``field`` and an
  English ``message`` naming the rule; floats are refused wherever an amount is expected.

Handling time (every insurance's claims, seed 004: "Behandlingstiden for skadeanmeldelser er
maksimum én måned med forbehold om at det er nødvendig med komplettering av opplysninger"): a
claim is decided within one month of its report (31 January: by the last day of February); the
clock stops on the day more information is asked for and runs again on the day it arrives, and
the due date moves by the days it stood still (:func:`handling_due`, :func:`pause_days`,
:func:`handling_status`).
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final

from trygg.kernel.idnumbers import completed_years
from trygg.kernel.money import Money
from trygg.kernel.statetable import StateTable

LEVELS: Final[tuple[int, ...]] = (10, 20, 30, 40, 50)
"""The product's levels in PBB; the rules accept any positive level."""
MAX_DEGREE: Final = 100
HIGH_DEGREE_FROM: Final = 50
"""From this medical degree the percentage applies to twice the base amount."""
MAX_DISABILITY_FACTOR: Final = 2
MAX_PAIN_MONTHS: Final = 120


class BenefitError(ValueError):
    """Input that breaks a rule of the benefit calculation; ``code`` is stable."""

    def __init__(self, code: str, field: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.field = field
        self.message = message


class Occupational(enum.StrEnum):
    """Permanent incapacity for work (förvärvsmässig invaliditet)."""

    NONE = "none"
    LESS_THAN_HALF = "less_than_half"
    HALF = "half"
    THREE_QUARTERS = "three_quarters"
    FULL = "full"


OCCUPATIONAL_FACTORS: Final[Mapping[Occupational, Decimal]] = MappingProxyType(
    {
        Occupational.NONE: Decimal(0),
        Occupational.LESS_THAN_HALF: Decimal(0),
        Occupational.HALF: Decimal(1),
        Occupational.THREE_QUARTERS: Decimal("1.5"),
        Occupational.FULL: Decimal(2),
    }
)
"""Occupational disability benefit as a multiple of the base amount."""

_OCCUPATIONAL_LABELS: Final[Mapping[Occupational, str]] = MappingProxyType(
    {
        Occupational.NONE: "none",
        Occupational.LESS_THAN_HALF: "less than half",
        Occupational.HALF: "at least half",
        Occupational.THREE_QUARTERS: "three quarters",
        Occupational.FULL: "full",
    }
)


class Item(enum.StrEnum):
    """A benefit of the accident insurance, in the order the lines are listed."""

    MEDICAL_DISABILITY = "medical_disability"
    OCCUPATIONAL_DISABILITY = "occupational_disability"
    ACUTE_CARE = "acute_care"
    HOSPITAL = "hospital"
    COSTS = "costs"
    CLOTHES_GLASSES = "clothes_glasses"
    SCAR = "scar"
    PAIN_SUFFERING = "pain_suffering"
    DEATH = "death"


class ScarLocation(enum.StrEnum):
    FACE = "face"
    OTHER_VISIBLE = "other_visible"
    OTHER = "other"


class ScarSize(enum.StrEnum):
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


def _scar_row(location: ScarLocation, *fractions: str) -> dict[tuple[str, str], Decimal]:
    sizes = (ScarSize.SMALL, ScarSize.MEDIUM, ScarSize.LARGE)
    return {
        (location.value, size.value): Decimal(fraction)
        for size, fraction in zip(sizes, fractions, strict=True)
    }


DEFAULT_SCAR_TABLE: Final[Mapping[tuple[str, str], Decimal]] = MappingProxyType(
    _scar_row(ScarLocation.FACE, "0.10", "0.25", "0.50")
    | _scar_row(ScarLocation.OTHER_VISIBLE, "0.05", "0.12", "0.25")
    | _scar_row(ScarLocation.OTHER, "0.02", "0.05", "0.10")
)
"""The product's demo table: (location, size) → fraction of the PBB. The seed only says that
scars are paid "by a fixed table"."""

DEFAULT_PAIN_BANDS: Final[tuple[tuple[int, Decimal], ...]] = (
    (3, Decimal(1900)),
    (12, Decimal(1500)),
    (MAX_PAIN_MONTHS, Decimal(1000)),
)
"""The product's demo table, modelled on tort-law practice: (up to month, inclusive; rate per
month). Months 1-3 pay 1 900 kr each, months 4-12 1 500 kr, months 13 and on 1 000 kr."""


# -- input checks -------------------------------------------------------------------------------


def _decimal(value: object, name: str) -> Decimal:
    """A finite number given as Decimal or int (never a float)."""
    if isinstance(value, float):
        raise BenefitError("benefit.float", name, f"{name} is never a float; give a Decimal.")
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise BenefitError("benefit.type", name, f"{name} must be a Decimal or an int.")
    result = Decimal(value)
    if not result.is_finite():
        raise BenefitError("benefit.type", name, f"{name} must be a finite amount.")
    return result


def _amount(value: object, name: str) -> Decimal:
    """A non-negative amount given as Decimal or int (never a float)."""
    result = _decimal(value, name)
    if result < 0:
        raise BenefitError("benefit.negative_amount", name, f"{name} cannot be negative.")
    return result


def _whole(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BenefitError("benefit.type", name, f"{name} must be a whole number.")
    return value


def _day(value: object, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise BenefitError("benefit.type", name, f"{name} must be a date (not a datetime).")
    return value


def _terms_error(name: str, message: str) -> BenefitError:
    return BenefitError("benefit.terms", name, message)


# -- dates ---------------------------------------------------------------------------------------


def anniversary(start: date, years: int) -> date:
    """The date ``years`` years after ``start``; 29 February falls on 1 March in non-leap
    years."""
    year = start.year + years
    try:
        return start.replace(year=year)
    except ValueError:  # 29 February in a year that has none
        return date(year, 3, 1)


def age_on(birth: date, on: date) -> int:
    """Completed years of age on ``on``. A birthday counts from its first moment, so one is 18
    on one's 18th birthday; those born on 29 February have their birthday on 1 March in
    non-leap years."""
    if on < birth:
        raise BenefitError(
            "benefit.date_order", "insured_birth_date", "The insured was born after that date."
        )
    return completed_years(birth, on)


# -- terms and facts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverTerms:
    """The amounts and tables of the insurance terms; the tables are data, not code."""

    acute_care_once: Decimal
    hospital_per_day: Decimal
    hospital_max_days: int
    costs_years: int
    clothes_cap_pbb: Decimal
    death_pbb: Decimal
    pain_from_age: int
    pain_bands: tuple[tuple[int, Decimal], ...]
    scar_table: Mapping[tuple[str, str], Decimal] = field(hash=False)

    def __post_init__(self) -> None:
        for name in ("acute_care_once", "hospital_per_day", "clothes_cap_pbb", "death_pbb"):
            object.__setattr__(self, name, _amount(getattr(self, name), name))
        for name in ("hospital_max_days", "costs_years", "pain_from_age"):
            if _whole(getattr(self, name), name) < 0:
                raise _terms_error(name, f"{name} cannot be negative.")
        object.__setattr__(self, "pain_bands", _checked_bands(self.pain_bands))
        object.__setattr__(self, "scar_table", _checked_scar_table(self.scar_table))


def _checked_bands(bands: Iterable[tuple[int, Decimal]]) -> tuple[tuple[int, Decimal], ...]:
    result: list[tuple[int, Decimal]] = []
    previous = 0
    for up_to, rate in bands:
        if _whole(up_to, "pain_bands") <= previous:
            raise _terms_error(
                "pain_bands", "Pain bands must end at strictly increasing months from month 1."
            )
        result.append((up_to, _amount(rate, "pain_bands")))
        previous = up_to
    if previous < MAX_PAIN_MONTHS:
        raise _terms_error(
            "pain_bands", f"Pain bands must cover every month up to {MAX_PAIN_MONTHS}."
        )
    return tuple(result)


def _checked_scar_table(
    table: Mapping[tuple[str, str], Decimal],
) -> Mapping[tuple[str, str], Decimal]:
    result: dict[tuple[str, str], Decimal] = {}
    for key, fraction in table.items():
        result[_scar_key(key, "scar_table")] = _amount(fraction, "scar_table")
    return MappingProxyType(result)


def _scar_key(key: object, name: str) -> tuple[str, str]:
    if not (
        isinstance(key, tuple) and len(key) == 2 and all(isinstance(part, str) for part in key)
    ):
        raise BenefitError("benefit.scar_class", name, "A scar class is (location, size).")
    return (str(key[0]), str(key[1]))


DEFAULT_TERMS: Final = CoverTerms(
    acute_care_once=Decimal(500),
    hospital_per_day=Decimal(200),
    hospital_max_days=365,
    costs_years=5,
    clothes_cap_pbb=Decimal("0.25"),
    death_pbb=Decimal(1),
    pain_from_age=18,
    pain_bands=DEFAULT_PAIN_BANDS,
    scar_table=DEFAULT_SCAR_TABLE,
)
"""The seed's amounts with the product's demo tables for scars and pain and suffering."""


@dataclass(frozen=True)
class Cost:
    """A medical, travel or dental-injury cost, dated when it was incurred."""

    incurred_on: date
    amount: Decimal
    text: str = ""

    def __post_init__(self) -> None:
        _day(self.incurred_on, "costs")
        object.__setattr__(self, "amount", _amount(self.amount, "costs"))


@dataclass(frozen=True)
class ClaimFacts:
    """What the claim established; validated on construction."""

    accident_date: date
    insured_birth_date: date
    level_pbb: int
    pbb: Decimal
    medical_degree: int = 0
    occupational: Occupational = Occupational.NONE
    hospital_nights: int = 0
    costs: tuple[Cost, ...] = ()
    clothes_glasses: Decimal = Decimal(0)
    scar: tuple[str, str] | None = None
    pain_months: int = 0
    died: bool = False

    def __post_init__(self) -> None:
        accident = _day(self.accident_date, "accident_date")
        if _day(self.insured_birth_date, "insured_birth_date") > accident:
            raise BenefitError(
                "benefit.date_order",
                "insured_birth_date",
                "The insured cannot be born after the accident date.",
            )
        if _whole(self.level_pbb, "level_pbb") <= 0:
            raise BenefitError(
                "benefit.level_not_positive", "level_pbb", "The level in PBB must be positive."
            )
        pbb = _decimal(self.pbb, "pbb")
        if pbb <= 0:
            raise BenefitError("benefit.pbb_not_positive", "pbb", "The PBB must be positive.")
        object.__setattr__(self, "pbb", pbb)
        if not 0 <= _whole(self.medical_degree, "medical_degree") <= MAX_DEGREE:
            raise BenefitError(
                "benefit.degree_range",
                "medical_degree",
                f"The medical disability degree is a whole percent from 0 to {MAX_DEGREE}.",
            )
        try:
            object.__setattr__(self, "occupational", Occupational(self.occupational))
        except ValueError as exc:
            raise BenefitError(
                "benefit.occupational_class",
                "occupational",
                f"{self.occupational!r} is not a class of occupational disability.",
            ) from exc
        if _whole(self.hospital_nights, "hospital_nights") < 0:
            raise BenefitError(
                "benefit.negative_nights",
                "hospital_nights",
                "The number of hospital nights cannot be negative.",
            )
        costs = tuple(self.costs)
        for number, cost in enumerate(costs, start=1):
            if not isinstance(cost, Cost):
                raise BenefitError("benefit.type", "costs", "Each cost must be a Cost.")
            if cost.incurred_on < accident:
                raise BenefitError(
                    "benefit.cost_before_accident",
                    "costs",
                    f"Cost {number} is dated {cost.incurred_on.isoformat()}, before the "
                    f"accident on {accident.isoformat()}; only costs caused by the accident "
                    "are covered.",
                )
        object.__setattr__(self, "costs", costs)
        object.__setattr__(
            self, "clothes_glasses", _amount(self.clothes_glasses, "clothes_glasses")
        )
        if self.scar is not None:
            object.__setattr__(self, "scar", _scar_key(self.scar, "scar"))
        if not 0 <= _whole(self.pain_months, "pain_months") <= MAX_PAIN_MONTHS:
            raise BenefitError(
                "benefit.months_range",
                "pain_months",
                f"Pain and suffering is paid for whole months from 0 to {MAX_PAIN_MONTHS}.",
            )
        if not isinstance(self.died, bool):
            raise BenefitError("benefit.type", "died", "died is true or false.")

    @property
    def base_amount(self) -> Decimal:
        """Grundbelopp: the level in PBB × the PBB."""
        return self.level_pbb * self.pbb


# -- result --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One part of a line's explanation: a stable ``code`` and the numbers it names (Decimal,
    int, str, date, bool, or a tuple of (count, rate) pairs), for the page's language."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """Stored on the claim: Decimals and dates as text."""
        return {"code": self.code, "params": {k: _json(v) for k, v in self.params.items()}}


def _json(value: Any) -> Any:
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, tuple):
        return [_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class BenefitLine:
    item: Item
    amount: Decimal
    """Rounded to öre."""
    basis: str
    """A short English explanation with the numbers."""
    reasons: tuple[Reason, ...] = ()
    """The same explanation in parts, each translated on its own and joined with "; "."""


@dataclass(frozen=True)
class Benefits:
    lines: tuple[BenefitLine, ...]
    total: Decimal

    def line(self, item: Item) -> BenefitLine | None:
        return next((line for line in self.lines if line.item == item), None)

    def amount(self, item: Item) -> Decimal:
        """The amount of the item's line, 0 if there is none."""
        found = self.line(item)
        return found.amount if found is not None else Decimal("0.00")


# -- calculation ---------------------------------------------------------------------------------


def _round(value: Decimal) -> Decimal:
    return Money.of(value).rounded().amount


def _number(value: Decimal | int) -> str:
    """A factor or count: ``886 000``, ``0.25``, ``1.5``."""
    number = Decimal(value)
    if number == number.to_integral_value():
        text = f"{int(number):,}"
    else:
        text = f"{number.normalize():,f}"
    return text.replace(",", " ")


def _kr(value: Decimal) -> str:
    """An amount: whole kronor without decimals, else with öre: ``434 140``, ``12 345.50``."""
    rounded = _round(value)
    if rounded == rounded.to_integral_value():
        return _number(rounded)
    return f"{rounded:,.2f}".replace(",", " ")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def medical_disability_benefit(degree: int, base_amount: Decimal) -> Decimal:
    """d % × base amount below 50 %, d % × 2 × base amount from 50 %; rounded to öre."""
    factor = 2 if degree >= HIGH_DEGREE_FROM else 1
    return _round(Decimal(degree) / 100 * factor * base_amount)


def occupational_disability_benefit(cls: Occupational, base_amount: Decimal) -> Decimal:
    """The class's multiple of the base amount; rounded to öre."""
    return _round(OCCUPATIONAL_FACTORS[cls] * base_amount)


def _medical_text(degree: int, base: Decimal) -> str:
    twice = "2 × " if degree >= HIGH_DEGREE_FROM else ""
    return f"{degree} % × {twice}{_number(base)} (base amount)"


def _occupational_text(cls: Occupational, base: Decimal) -> str:
    factor = OCCUPATIONAL_FACTORS[cls]
    if factor == 0:
        return f"{_OCCUPATIONAL_LABELS[cls]}: nothing"
    return f"{_OCCUPATIONAL_LABELS[cls]}: {_number(factor)} × {_number(base)} (base amount)"


def _disability(facts: ClaimFacts) -> BenefitLine | None:
    if facts.medical_degree == 0 and facts.occupational is Occupational.NONE:
        return None
    base = facts.base_amount
    medical = medical_disability_benefit(facts.medical_degree, base)
    occupational = occupational_disability_benefit(facts.occupational, base)
    medical_text = f"{_medical_text(facts.medical_degree, base)} = {_kr(medical)}"
    medical_reason = Reason(
        "medical",
        {
            "degree": facts.medical_degree,
            "twice": facts.medical_degree >= HIGH_DEGREE_FROM,
            "base": base,
            "amount": medical,
        },
    )
    if facts.occupational is Occupational.NONE:
        item, amount, basis = Item.MEDICAL_DISABILITY, medical, medical_text
        reasons: tuple[Reason, ...] = (medical_reason,)
    else:
        occupational_wins = occupational > medical or (
            occupational == medical and facts.medical_degree == 0
        )
        if occupational_wins:
            item, amount, paid = Item.OCCUPATIONAL_DISABILITY, occupational, "occupational"
        else:
            item, amount, paid = Item.MEDICAL_DISABILITY, medical, "medical"
        basis = (
            f"medical disability {medical_text}; occupational disability "
            f"{_occupational_text(facts.occupational, base)} = {_kr(occupational)}; "
            f"the higher is paid, not both: {paid}"
        )
        reasons = (
            medical_reason,
            Reason(
                "occupational",
                {
                    "class": facts.occupational.value,
                    "factor": OCCUPATIONAL_FACTORS[facts.occupational],
                    "base": base,
                    "amount": occupational,
                },
            ),
            Reason("higher_paid", {"paid": paid}),
        )
    cap = _round(MAX_DISABILITY_FACTOR * base)
    if amount > cap:  # cannot happen with the classes above; the rule holds regardless
        amount = cap
        basis += f"; at most {MAX_DISABILITY_FACTOR} × base amount = {_kr(cap)}"
        reasons += (Reason("disability_cap", {"factor": MAX_DISABILITY_FACTOR, "cap": cap}),)
    if facts.died:
        return BenefitLine(
            item,
            Decimal("0.00"),
            "not paid: the insured died of the accident and disability benefits are for the "
            f"living insured ({basis})",
            (Reason("died"), *reasons),
        )
    return BenefitLine(item, amount, basis, reasons)


def _hospital(terms: CoverTerms, facts: ClaimFacts) -> list[BenefitLine]:
    nights = facts.hospital_nights
    if nights == 0:
        return []
    acute = BenefitLine(
        Item.ACUTE_CARE,
        _round(terms.acute_care_once),
        f"once per claim, after {_plural(nights, 'night')} in hospital: "
        f"{_kr(terms.acute_care_once)}",
        (Reason("acute_care", {"nights": nights, "amount": _round(terms.acute_care_once)}),),
    )
    days = min(nights, terms.hospital_max_days)
    basis = f"{_plural(days, 'day')} × {_kr(terms.hospital_per_day)} per day"
    reasons: tuple[Reason, ...] = (
        Reason("hospital", {"days": days, "per_day": _round(terms.hospital_per_day)}),
    )
    if days < nights:
        basis += f" ({_plural(nights, 'night')}, at most {terms.hospital_max_days} days)"
        reasons += (
            Reason("hospital_max", {"nights": nights, "max_days": terms.hospital_max_days}),
        )
    stay = BenefitLine(Item.HOSPITAL, _round(days * terms.hospital_per_day), basis, reasons)
    return [acute, stay]


def _costs(terms: CoverTerms, facts: ClaimFacts) -> BenefitLine | None:
    if not facts.costs:
        return None
    end = anniversary(facts.accident_date, terms.costs_years)
    covered = [cost.amount for cost in facts.costs if cost.incurred_on <= end]
    outside = [cost.amount for cost in facts.costs if cost.incurred_on > end]
    amount = _round(sum(covered, Decimal(0)))
    basis = (
        f"{_plural(len(covered), 'cost')} within {terms.costs_years} years of the accident "
        f"(up to and including {end.isoformat()}): {_kr(amount)}"
    )
    reasons: tuple[Reason, ...] = (
        Reason(
            "costs",
            {"count": len(covered), "years": terms.costs_years, "end": end, "amount": amount},
        ),
    )
    if outside:
        outside_amount = _round(sum(outside, Decimal(0)))
        basis += (
            f"; {_plural(len(outside), 'cost')} of {_kr(outside_amount)} "
            "outside the period, not covered"
        )
        reasons += (Reason("costs_outside", {"count": len(outside), "amount": outside_amount}),)
    return BenefitLine(Item.COSTS, amount, basis, reasons)


def _clothes(terms: CoverTerms, facts: ClaimFacts) -> BenefitLine | None:
    claimed = facts.clothes_glasses
    if claimed == 0:
        return None
    cap = _round(terms.clothes_cap_pbb * facts.pbb)
    cap_text = f"{_number(terms.clothes_cap_pbb)} × {_number(facts.pbb)} (PBB) = {_kr(cap)}"
    reason = Reason(
        "clothes",
        {
            "claimed": _round(claimed),
            "factor": terms.clothes_cap_pbb,
            "pbb": facts.pbb,
            "cap": cap,
            "capped": claimed > cap,
        },
    )
    if claimed > cap:
        return BenefitLine(
            Item.CLOTHES_GLASSES, cap, f"claimed {_kr(claimed)}, capped at {cap_text}", (reason,)
        )
    return BenefitLine(
        Item.CLOTHES_GLASSES,
        _round(claimed),
        f"claimed {_kr(claimed)}, at most {cap_text}",
        (reason,),
    )


def _scar(terms: CoverTerms, facts: ClaimFacts) -> BenefitLine | None:
    if facts.scar is None:
        return None
    fraction = terms.scar_table.get(facts.scar)
    if fraction is None:
        location, size = facts.scar
        raise BenefitError(
            "benefit.scar_class",
            "scar",
            f"The scar table of the terms has no class ({location!r}, {size!r}); scars are "
            "paid by that table only.",
        )
    location, size = facts.scar
    return BenefitLine(
        Item.SCAR,
        _round(fraction * facts.pbb),
        f"{location}, {size}: {_number(fraction)} × {_number(facts.pbb)} (PBB)",
        (
            Reason(
                "scar",
                {"location": location, "size": size, "fraction": fraction, "pbb": facts.pbb},
            ),
        ),
    )


def pain_and_suffering_parts(
    months: int, bands: tuple[tuple[int, Decimal], ...]
) -> list[tuple[int, Decimal]]:
    """The months paid at each band's rate, as (months, rate per month), empty bands left out."""
    parts: list[tuple[int, Decimal]] = []
    previous = 0
    for up_to, rate in bands:
        count = min(months, up_to) - previous
        if count <= 0:
            break
        parts.append((count, rate))
        previous = up_to
    return parts


def _pain(terms: CoverTerms, facts: ClaimFacts) -> BenefitLine | None:
    months = facts.pain_months
    if months == 0:
        return None
    age = age_on(facts.insured_birth_date, facts.accident_date)
    if age < terms.pain_from_age:
        return BenefitLine(
            Item.PAIN_SUFFERING,
            Decimal("0.00"),
            f"not paid: the insured was {age} on the accident date; pain and suffering is "
            f"paid from age {terms.pain_from_age}",
            (Reason("pain_too_young", {"age": age, "from_age": terms.pain_from_age}),),
        )
    parts = pain_and_suffering_parts(months, terms.pain_bands)
    amount = _round(sum((count * rate for count, rate in parts), Decimal(0)))
    basis = " + ".join(f"{_plural(count, 'month')} × {_kr(rate)}" for count, rate in parts)
    reason = Reason("pain", {"parts": tuple((count, _round(rate)) for count, rate in parts)})
    return BenefitLine(Item.PAIN_SUFFERING, amount, basis, (reason,))


def _death(terms: CoverTerms, facts: ClaimFacts) -> BenefitLine | None:
    if not facts.died:
        return None
    return BenefitLine(
        Item.DEATH,
        _round(terms.death_pbb * facts.pbb),
        f"{_number(terms.death_pbb)} × {_number(facts.pbb)} (PBB), paid to the beneficiaries",
        (Reason("death", {"factor": terms.death_pbb, "pbb": facts.pbb}),),
    )


def calculate(terms: CoverTerms, facts: ClaimFacts) -> Benefits:
    """Every benefit the facts give under the terms, one line each, and their total."""
    found: list[BenefitLine | None] = [
        _disability(facts),
        *_hospital(terms, facts),
        _costs(terms, facts),
        _clothes(terms, facts),
        _scar(terms, facts),
        _pain(terms, facts),
        _death(terms, facts),
    ]
    lines = tuple(line for line in found if line is not None)
    return Benefits(lines, sum((line.amount for line in lines), Decimal("0.00")))


# -- the claim's states ----------------------------------------------------------------------


class ClaimState(enum.StrEnum):
    REPORTED = "reported"  # reported, being assessed
    DECIDED = "decided"  # the benefits are decided; the payout is pending
    PAID = "paid"
    REJECTED = "rejected"


# A decided claim may be decided again (new facts) or rejected until it is paid.
CLAIM_TRANSITIONS: Final[StateTable] = {
    ClaimState.REPORTED: frozenset({ClaimState.DECIDED, ClaimState.REJECTED}),
    ClaimState.DECIDED: frozenset({ClaimState.DECIDED, ClaimState.PAID, ClaimState.REJECTED}),
    ClaimState.PAID: frozenset(),
    ClaimState.REJECTED: frozenset(),
}


# -- handling time ----------------------------------------------------------------------------
#
# A claim is decided within one month of its report, unless more information is needed: the clock
# stops on the day the information is asked for and runs again on the day it arrives, and the
# due date moves by the days it stood still. Any claims app keeps the due date and the days the
# clock stood still on its claim and asks these functions.

HANDLING_MONTHS: Final = 1
DUE_SOON_DAYS: Final = 7
"""A running claim is *due* from this many days before its due date."""


class Handling(enum.StrEnum):
    """Where a claim stands against its handling time, for the staff's queue."""

    ON_TIME = "on_time"
    DUE = "due"  # due within DUE_SOON_DAYS days, or today
    OVERDUE = "overdue"  # past its due date and not decided
    WAITING = "waiting"  # more information asked for: the clock stands still


def add_months(start: date, months: int) -> date:
    """The same day ``months`` months later; a day the month lacks falls on its last day
    (31 January + 1 month = 28 or 29 February)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def handling_due(reported_on: date, paused_days: int = 0) -> date:
    """The day a claim reported on ``reported_on`` must be decided by: one month later, moved by
    the days the clock stood still."""
    _day(reported_on, "reported_on")
    if _whole(paused_days, "paused_days") < 0:
        raise BenefitError("claim.pause", "paused_days", "Days paused cannot be negative.")
    return add_months(reported_on, HANDLING_MONTHS) + timedelta(days=paused_days)


def pause_days(since: date, until: date) -> int:
    """The days the clock stood still: from the day information was asked for to the day it
    arrived (the same day: none)."""
    if _day(until, "until") < _day(since, "since"):
        raise BenefitError(
            "claim.pause", "until", "The information cannot arrive before it was asked for."
        )
    return (until - since).days


def handling_status(due_on: date, waiting_since: date | None, today: date) -> Handling:
    """Waiting while information is asked for; else overdue after the due date, due from
    ``DUE_SOON_DAYS`` days before it, on time before that."""
    if waiting_since is not None:
        return Handling.WAITING
    if today > due_on:
        return Handling.OVERDUE
    if (due_on - today).days <= DUE_SOON_DAYS:
        return Handling.DUE
    return Handling.ON_TIME
