"""API: quotes (open to anyone), and the customer's applications and policies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from trygg.insurance.tariffs import quote_for

router = Router(tags=["insurance"])


class QuoteIn(Schema):
    insured: str = Field(
        max_length=20,
        description="The insured's birth date (YYYY-MM-DD) or personal identity number",
    )
    level: int = Field(description="Insured level in price base amounts: 10, 20, 30, 40 or 50")
    period: str = Field("yearly", description="monthly, half_yearly or yearly")
    date: dt.date = Field(description="The start date the quote is for")


class QuoteOut(Schema):
    tariff_version: str
    pbb_year: int
    pbb: Decimal
    age: int
    level: int
    base_amount: Decimal = Field(description="Disability base amount (grundbelopp)")
    max_disability: Decimal = Field(description="Highest disability payout (2 × base amount)")
    annual_price: Decimal
    period: str
    surcharge_percent: Decimal
    year_total: Decimal = Field(description="A year's premium when paid by this period")
    price_per_period: Decimal
    instalments: list[Decimal]


@router.post(
    "/insurance/quotes", response=QuoteOut, auth=None, summary="Quote the accident insurance"
)
def quote(request: HttpRequest, payload: QuoteIn) -> QuoteOut:
    q = quote_for(
        insured=payload.insured, level=payload.level, period=payload.period, on=payload.date
    ).quote
    return QuoteOut(
        tariff_version=q.tariff_version,
        pbb_year=q.pbb_year,
        pbb=q.pbb,
        age=q.age,
        level=q.level,
        base_amount=q.base_amount,
        max_disability=q.max_disability,
        annual_price=q.annual_price,
        period=q.period.value,
        surcharge_percent=q.surcharge_percent,
        year_total=q.year_total,
        price_per_period=q.price_per_period,
        instalments=list(q.instalments),
    )
