"""Reading the product's data: the price base amount of a year, the tariff valid on a date, and
quotes computed from them."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from trygg.insurance import rules
from trygg.insurance.messages import rule_message
from trygg.insurance.models import PriceBaseAmount, Product, Tariff
from trygg.kernel import idnumbers
from trygg.kernel.errors import ValidationFailed
from trygg.kernel.idnumber_messages import id_number_message

PRODUCT = "accident"


def product() -> Product:
    return Product.objects.get(code=PRODUCT)


@dataclass(frozen=True)
class _Catalogue:
    pbb: dict[int, Decimal]
    tariffs: list[tuple[Tariff, rules.Tariff]]  # newest valid_from first
    loaded_at: float


_cache: _Catalogue | None = None
CACHE_SECONDS = 30.0  # another process's change to the tariff is seen within this time


def catalogue_forget() -> None:
    """Drop this process's copy of the price base amounts and tariffs (after staff change
    them; other processes reload within ``CACHE_SECONDS``)."""
    global _cache
    _cache = None


def _catalogue() -> _Catalogue:
    global _cache
    now = time.monotonic()
    if _cache is None or now - _cache.loaded_at > CACHE_SECONDS:
        rows = list(
            Tariff.objects.filter(product__code=PRODUCT)
            .prefetch_related("prices")
            .order_by("-valid_from")
        )
        _cache = _Catalogue(
            pbb={p.year: p.amount for p in PriceBaseAmount.objects.all()},
            tariffs=[(row, as_rules(row)) for row in rows],
            loaded_at=now,
        )
    return _cache


def pbb_for(year: int, *, field: str = "date") -> Decimal:
    """The price base amount of ``year``; a year without one is refused, never guessed."""
    amount = _catalogue().pbb.get(year)
    if amount is None:
        raise ValidationFailed(
            code="pbb.missing",
            field=field,
            message=_("There is no price base amount for %(year)s yet.") % {"year": year},
        )
    return amount


def as_rules(row: Tariff) -> rules.Tariff:
    return rules.Tariff(
        version=row.version,
        valid_from=row.valid_from,
        prices={p.level: p.annual_price for p in row.prices.all()},
        surcharges={
            rules.Period.MONTHLY: row.surcharge_monthly,
            rules.Period.HALF_YEARLY: row.surcharge_half_yearly,
        },
        price_from_age=row.price_from_age,
        limited_from_age=row.limited_from_age,
        limited_max_level=row.limited_max_level,
    )


def tariff_on(day: dt.date, *, field: str = "date") -> tuple[Tariff, rules.Tariff]:
    """The tariff version valid on ``day`` (the latest whose valid-from is not after it)."""
    for row, tariff in _catalogue().tariffs:
        if row.valid_from <= day:
            return row, tariff
    raise ValidationFailed(
        code="tariff.not_valid",
        field=field,
        message=_("No tariff is valid on %(date)s.") % {"date": day.isoformat()},
    )


def refusal(error: rules.RuleError, *, field: str | None = None) -> ValidationFailed:
    """A pure rule's refusal as the domain error the portal and the API show."""
    return ValidationFailed(
        code=error.code, field=field or error.field, message=rule_message(error)
    )


@dataclass(frozen=True)
class QuoteResult:
    quote: rules.Quote
    tariff: Tariff


def birth_date_of(id_number_or_date: object, *, field: str = "insured") -> dt.date:
    """The birth date given directly (YYYY-MM-DD) or read from a personal identity number."""
    if isinstance(id_number_or_date, dt.date):
        return id_number_or_date
    text = str(id_number_or_date or "").strip()
    if not text:
        raise ValidationFailed(
            code="insured.required",
            field=field,
            message=_("Give the insured's birth date or personal identity number."),
        )
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValidationFailed(
                code="insured.birth_date",
                field=field,
                message=_("Give a real date as YYYY-MM-DD."),
            ) from None
    try:
        parsed = idnumbers.parse(text, person_only=True)
    except idnumbers.IdNumberError as error:
        raise ValidationFailed(
            code=error.code, field=field, message=id_number_message(error)
        ) from None
    assert parsed.birth_date is not None
    return parsed.birth_date


def quote_for(*, insured: object, level: object, period: object, on: dt.date) -> QuoteResult:
    """A quote for the insured (birth date or personal identity number) starting on ``on``."""
    birth = birth_date_of(insured)
    row, tariff = tariff_on(on)
    pbb = pbb_for(on.year)
    try:
        quote = rules.quote(
            tariff, pbb_year=on.year, pbb=pbb, birth_date=birth, level=level, period=period, on=on
        )
    except rules.RuleError as error:
        raise refusal(error, field="insured" if error.field == "birth_date" else None) from None
    return QuoteResult(quote, row)


@dataclass(frozen=True)
class PriceList:
    """The public comparison of every level for a start on ``on``. When the price base amount
    of ``on``'s year is not yet entered, the latest entered one stands in (``preliminary``):
    the insured amounts follow each year's price base amount anyway, so only the kronor shown
    change once the new amount is set (decision 0087)."""

    on: dt.date
    tariff: Tariff
    rules_tariff: rules.Tariff
    pbb_year: int
    pbb: Decimal
    preliminary: bool
    levels: list[rules.LevelPrice]


def price_list(on: dt.date) -> PriceList:
    row, tariff = tariff_on(on)
    known = _catalogue().pbb
    year = on.year if on.year in known else max((y for y in known if y <= on.year), default=0)
    if not year:
        pbb_for(on.year)  # refuses: no amount at all for this year or before
    pbb = known[year]
    return PriceList(
        on=on,
        tariff=row,
        rules_tariff=tariff,
        pbb_year=year,
        pbb=pbb,
        preliminary=year != on.year,
        levels=rules.price_table(tariff, pbb),
    )
