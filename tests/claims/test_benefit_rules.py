"""The benefit calculator of the accident insurance: the seed's figures and its properties."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.claims.rules import (
    DEFAULT_PAIN_BANDS,
    DEFAULT_SCAR_TABLE,
    DEFAULT_TERMS,
    MAX_PAIN_MONTHS,
    BenefitError,
    Benefits,
    ClaimFacts,
    Cost,
    CoverTerms,
    Item,
    Occupational,
    age_on,
    anniversary,
    calculate,
    medical_disability_benefit,
    occupational_disability_benefit,
)

PBB_2016 = Decimal(44300)
ACCIDENT = date(2016, 3, 1)
ADULT = date(1980, 6, 15)


def facts(**changes: Any) -> ClaimFacts:
    values: dict[str, Any] = {
        "accident_date": ACCIDENT,
        "insured_birth_date": ADULT,
        "level_pbb": 20,
        "pbb": PBB_2016,
    }
    values.update(changes)
    return ClaimFacts(**values)


def benefits(**changes: Any) -> Benefits:
    return calculate(DEFAULT_TERMS, facts(**changes))


def disability(result: Benefits) -> Decimal:
    return result.amount(Item.MEDICAL_DISABILITY) + result.amount(Item.OCCUPATIONAL_DISABILITY)


# -- the seed's table ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "base", "maximum"),
    [
        (10, "443000", "886000"),
        (20, "886000", "1772000"),
        (30, "1329000", "2658000"),
        (40, "1772000", "3544000"),
        (50, "2215000", "4430000"),
    ],
)
def test_base_amount_and_maximum_by_level(level: int, base: str, maximum: str) -> None:
    claim = facts(level_pbb=level, medical_degree=100)
    assert claim.base_amount == Decimal(base)
    assert calculate(DEFAULT_TERMS, claim).amount(Item.MEDICAL_DISABILITY) == Decimal(maximum)
    full = calculate(DEFAULT_TERMS, facts(level_pbb=level, occupational=Occupational.FULL))
    assert full.amount(Item.OCCUPATIONAL_DISABILITY) == Decimal(maximum)


def test_degree_49_and_50_at_level_20() -> None:
    assert benefits(medical_degree=49).amount(Item.MEDICAL_DISABILITY) == Decimal("434140.00")
    line = benefits(medical_degree=50).line(Item.MEDICAL_DISABILITY)
    assert line is not None
    assert line.amount == Decimal("886000.00")
    assert line.basis == "50 % × 2 × 886 000 (base amount) = 886 000"


def test_medical_basis_names_the_numbers() -> None:
    line = benefits(medical_degree=35).line(Item.MEDICAL_DISABILITY)
    assert line is not None
    assert line.amount == Decimal("310100.00")
    assert line.basis.startswith("35 % × 886 000 (base amount)")


@pytest.mark.parametrize(
    ("cls", "amount"),
    [
        (Occupational.LESS_THAN_HALF, "0.00"),
        (Occupational.HALF, "886000.00"),
        (Occupational.THREE_QUARTERS, "1329000.00"),
        (Occupational.FULL, "1772000.00"),
    ],
)
def test_occupational_classes(cls: Occupational, amount: str) -> None:
    result = benefits(occupational=cls)
    line = result.line(Item.OCCUPATIONAL_DISABILITY)
    assert line is not None  # present even when it pays nothing
    assert line.amount == Decimal(amount)
    assert result.line(Item.MEDICAL_DISABILITY) is None


def test_occupational_class_given_as_text() -> None:
    assert facts(occupational="half").occupational is Occupational.HALF
    with pytest.raises(BenefitError) as exc:
        facts(occupational="most")
    assert exc.value.code == "benefit.occupational_class"
    assert exc.value.field == "occupational"


def test_no_disability_line_without_degree_or_class() -> None:
    assert benefits().lines == ()
    assert benefits().total == 0


# -- higher of the two ---------------------------------------------------------------------------


def test_higher_of_two_pays_occupational_when_higher() -> None:
    result = benefits(medical_degree=35, occupational=Occupational.HALF)
    assert result.line(Item.MEDICAL_DISABILITY) is None
    line = result.line(Item.OCCUPATIONAL_DISABILITY)
    assert line is not None
    assert line.amount == Decimal("886000.00")  # not 310 100 + 886 000
    assert "310 100" in line.basis
    assert line.basis.endswith("not both: occupational")
    assert result.total == Decimal("886000.00")


def test_higher_of_two_pays_medical_when_higher() -> None:
    result = benefits(medical_degree=80, occupational=Occupational.THREE_QUARTERS)
    assert result.line(Item.OCCUPATIONAL_DISABILITY) is None
    assert result.amount(Item.MEDICAL_DISABILITY) == Decimal("1417600.00")  # 80 % × 1 772 000


def test_equal_amounts_name_the_medical_line() -> None:
    result = benefits(medical_degree=50, occupational=Occupational.HALF)
    assert result.amount(Item.MEDICAL_DISABILITY) == Decimal("886000.00")
    assert result.line(Item.OCCUPATIONAL_DISABILITY) is None


# -- hospital and acute care ---------------------------------------------------------------------


def test_hospital_per_night_and_acute_care_once() -> None:
    result = benefits(hospital_nights=3)
    assert result.amount(Item.HOSPITAL) == Decimal("600.00")
    assert result.amount(Item.ACUTE_CARE) == Decimal("500.00")
    assert [line.item for line in result.lines].count(Item.ACUTE_CARE) == 1
    assert result.total == Decimal("1100.00")


def test_hospital_capped_at_365_days() -> None:
    result = benefits(hospital_nights=400)
    line = result.line(Item.HOSPITAL)
    assert line is not None
    assert line.amount == Decimal("73000.00")
    assert "at most 365 days" in line.basis
    assert result.amount(Item.ACUTE_CARE) == Decimal("500.00")


def test_no_acute_care_without_a_night() -> None:
    result = benefits(hospital_nights=0)
    assert result.line(Item.ACUTE_CARE) is None
    assert result.line(Item.HOSPITAL) is None


# -- costs ---------------------------------------------------------------------------------------


def test_costs_at_the_five_year_edge() -> None:
    edge = date(2021, 3, 1)
    result = benefits(
        costs=(
            Cost(ACCIDENT, Decimal("1200.50"), "ambulance"),
            Cost(edge, Decimal(300), "physiotherapy"),
            Cost(edge + timedelta(days=1), Decimal(700), "dentist"),
        )
    )
    line = result.line(Item.COSTS)
    assert line is not None
    assert line.amount == Decimal("1500.50")
    assert "2 costs within 5 years" in line.basis
    assert "1 cost of 700 outside the period" in line.basis


def test_costs_all_outside_the_period_give_a_zero_line() -> None:
    result = benefits(costs=(Cost(date(2022, 1, 1), Decimal(100)),))
    assert result.amount(Item.COSTS) == 0
    line = result.line(Item.COSTS)
    assert line is not None
    assert "outside the period" in line.basis


def test_cost_before_the_accident_is_an_error() -> None:
    with pytest.raises(BenefitError) as exc:
        facts(costs=(Cost(ACCIDENT - timedelta(days=1), Decimal(100)),))
    assert exc.value.code == "benefit.cost_before_accident"
    assert exc.value.field == "costs"


def test_leap_day_accident_period_ends_on_first_of_march() -> None:
    accident = date(2016, 2, 29)
    assert anniversary(accident, 5) == date(2021, 3, 1)
    assert anniversary(accident, 4) == date(2020, 2, 29)
    result = calculate(
        DEFAULT_TERMS,
        facts(
            accident_date=accident,
            costs=(Cost(date(2021, 3, 1), Decimal(10)), Cost(date(2021, 3, 2), Decimal(20))),
        ),
    )
    assert result.amount(Item.COSTS) == Decimal("10.00")


# -- clothes, scars, death -----------------------------------------------------------------------


def test_clothes_and_glasses_cap_is_a_quarter_pbb() -> None:
    assert benefits(clothes_glasses=Decimal(20000)).amount(Item.CLOTHES_GLASSES) == Decimal(
        "11075.00"
    )
    assert benefits(clothes_glasses=Decimal(11075)).amount(Item.CLOTHES_GLASSES) == Decimal(
        "11075.00"
    )
    below = benefits(clothes_glasses=Decimal("2499.90"))
    assert below.amount(Item.CLOTHES_GLASSES) == Decimal("2499.90")


@pytest.mark.parametrize(
    ("scar", "amount"),
    [
        (("face", "small"), "4430.00"),
        (("face", "medium"), "11075.00"),
        (("face", "large"), "22150.00"),
        (("other_visible", "medium"), "5316.00"),
        (("other", "large"), "4430.00"),
        (("other", "small"), "886.00"),
    ],
)
def test_scar_table_lookup(scar: tuple[str, str], amount: str) -> None:
    line = benefits(scar=scar).line(Item.SCAR)
    assert line is not None
    assert line.amount == Decimal(amount)
    assert line.basis.startswith(f"{scar[0]}, {scar[1]}: ")


def test_scar_table_is_data_in_the_terms() -> None:
    terms = replace(DEFAULT_TERMS, scar_table={("face", "small"): Decimal(1)})
    assert calculate(terms, facts(scar=("face", "small"))).amount(Item.SCAR) == PBB_2016
    with pytest.raises(BenefitError) as exc:
        calculate(terms, facts(scar=("face", "large")))
    assert exc.value.code == "benefit.scar_class"
    assert len(DEFAULT_SCAR_TABLE) == 9


def test_unknown_scar_class_is_an_error() -> None:
    with pytest.raises(BenefitError) as exc:
        benefits(scar=("back", "small"))
    assert exc.value.code == "benefit.scar_class"
    assert exc.value.field == "scar"
    assert "scar table" in exc.value.message


def test_death_benefit_and_no_disability_when_died() -> None:
    result = benefits(
        died=True,
        medical_degree=60,
        occupational=Occupational.FULL,
        hospital_nights=2,
        costs=(Cost(ACCIDENT, Decimal(900)),),
    )
    assert result.amount(Item.DEATH) == Decimal("44300.00")
    line = result.line(Item.DEATH)
    assert line is not None
    assert "beneficiaries" in line.basis
    assert disability(result) == 0
    paid = result.line(Item.OCCUPATIONAL_DISABILITY) or result.line(Item.MEDICAL_DISABILITY)
    assert paid is not None
    assert paid.basis.startswith("not paid: the insured died")
    assert result.total == Decimal("44300") + Decimal(500) + Decimal(400) + Decimal(900)


# -- pain and suffering, ages --------------------------------------------------------------------


def test_pain_and_suffering_needs_the_18th_birthday() -> None:
    born = date(1998, 3, 1)  # 18 years old exactly on the accident date
    day_before = born + timedelta(days=1)  # 17 years and 364 days
    assert age_on(born, ACCIDENT) == 18
    assert age_on(day_before, ACCIDENT) == 17
    adult = benefits(insured_birth_date=born, pain_months=2)
    assert adult.amount(Item.PAIN_SUFFERING) == Decimal("3800.00")
    minor = benefits(insured_birth_date=day_before, pain_months=2)
    line = minor.line(Item.PAIN_SUFFERING)
    assert line is not None
    assert line.amount == 0
    assert "was 17" in line.basis


@pytest.mark.parametrize(
    ("months", "amount"),
    [
        (0, "0"),
        (1, "1900"),
        (3, "5700"),
        (4, "7200"),
        (12, "19200"),
        (13, "20200"),
        (120, "127200"),
    ],
)
def test_pain_bands(months: int, amount: str) -> None:
    assert benefits(pain_months=months).amount(Item.PAIN_SUFFERING) == Decimal(amount)


def test_pain_line_basis() -> None:
    line = benefits(pain_months=14).line(Item.PAIN_SUFFERING)
    assert line is not None
    assert line.basis == "3 months × 1 900 + 9 months × 1 500 + 2 months × 1 000"


def test_leap_day_birthday_on_first_of_march() -> None:
    born = date(2000, 2, 29)
    assert age_on(born, date(2018, 2, 28)) == 17
    assert age_on(born, date(2018, 3, 1)) == 18
    assert age_on(born, date(2016, 2, 29)) == 16


# -- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"medical_degree": 101}, "benefit.degree_range", "medical_degree"),
        ({"medical_degree": -1}, "benefit.degree_range", "medical_degree"),
        ({"hospital_nights": -1}, "benefit.negative_nights", "hospital_nights"),
        ({"clothes_glasses": Decimal(-1)}, "benefit.negative_amount", "clothes_glasses"),
        ({"pain_months": 121}, "benefit.months_range", "pain_months"),
        ({"pain_months": -1}, "benefit.months_range", "pain_months"),
        ({"level_pbb": 0}, "benefit.level_not_positive", "level_pbb"),
        ({"pbb": Decimal(0)}, "benefit.pbb_not_positive", "pbb"),
        ({"pbb": Decimal(-44300)}, "benefit.pbb_not_positive", "pbb"),
        ({"pbb": 44300.0}, "benefit.float", "pbb"),
        ({"clothes_glasses": 10.5}, "benefit.float", "clothes_glasses"),
        ({"medical_degree": 35.0}, "benefit.type", "medical_degree"),
        ({"insured_birth_date": date(2017, 1, 1)}, "benefit.date_order", "insured_birth_date"),
    ],
)
def test_invalid_facts(changes: dict[str, Any], code: str, field: str) -> None:
    with pytest.raises(BenefitError) as exc:
        facts(**changes)
    assert exc.value.code == code
    assert exc.value.field == field
    assert exc.value.message
    assert isinstance(exc.value, ValueError)


def test_cost_amounts_are_checked() -> None:
    with pytest.raises(BenefitError) as exc:
        Cost(ACCIDENT, Decimal(-5))
    assert (exc.value.code, exc.value.field) == ("benefit.negative_amount", "costs")
    with pytest.raises(BenefitError) as exc:
        Cost(ACCIDENT, 12.5)  # type: ignore[arg-type]
    assert exc.value.code == "benefit.float"


def test_ints_are_accepted_as_amounts() -> None:
    claim = facts(pbb=44300, clothes_glasses=100)
    assert claim.pbb == Decimal(44300)
    assert calculate(DEFAULT_TERMS, claim).total == Decimal("100.00")


def test_terms_are_checked() -> None:
    with pytest.raises(BenefitError) as exc:
        replace(DEFAULT_TERMS, pain_bands=((3, Decimal(1900)), (12, Decimal(1500))))
    assert (exc.value.code, exc.value.field) == ("benefit.terms", "pain_bands")
    with pytest.raises(BenefitError) as exc:
        replace(DEFAULT_TERMS, pain_bands=((12, Decimal(1500)), (3, Decimal(1900))))
    assert exc.value.field == "pain_bands"
    with pytest.raises(BenefitError) as exc:
        replace(DEFAULT_TERMS, hospital_max_days=-1)
    assert exc.value.field == "hospital_max_days"
    with pytest.raises(BenefitError) as exc:
        replace(DEFAULT_TERMS, acute_care_once=500.0)  # type: ignore[arg-type]
    assert exc.value.code == "benefit.float"


def test_default_terms_are_the_seeds() -> None:
    assert DEFAULT_TERMS == CoverTerms(
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
    with pytest.raises(TypeError):
        DEFAULT_TERMS.scar_table[("face", "small")] = Decimal(1)  # type: ignore[index]


# -- properties ----------------------------------------------------------------------------------

levels = st.sampled_from([10, 20, 30, 40, 50])
pbbs = st.integers(min_value=30_000, max_value=80_000).map(Decimal)
money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@given(level=levels, pbb=pbbs, low=st.integers(0, 49), high=st.integers(0, 49))
def test_medical_monotone_below_50(level: int, pbb: Decimal, low: int, high: int) -> None:
    low, high = sorted((low, high))
    base = level * pbb
    assert medical_disability_benefit(low, base) <= medical_disability_benefit(high, base)


@given(level=levels, pbb=pbbs, low=st.integers(50, 100), high=st.integers(50, 100))
def test_medical_monotone_from_50(level: int, pbb: Decimal, low: int, high: int) -> None:
    low, high = sorted((low, high))
    base = level * pbb
    assert medical_disability_benefit(low, base) <= medical_disability_benefit(high, base)


@given(level=levels, pbb=pbbs, degree=st.integers(0, 100), cls=st.sampled_from(Occupational))
def test_disability_is_the_higher_and_at_most_twice_base(
    level: int, pbb: Decimal, degree: int, cls: Occupational
) -> None:
    result = calculate(
        DEFAULT_TERMS, facts(level_pbb=level, pbb=pbb, medical_degree=degree, occupational=cls)
    )
    base = level * pbb
    paid = disability(result)
    assert paid <= 2 * base
    assert paid == max(
        medical_disability_benefit(degree, base), occupational_disability_benefit(cls, base)
    )
    assert sum(1 for line in result.lines if line.item in _DISABILITY) <= 1


_DISABILITY = {Item.MEDICAL_DISABILITY, Item.OCCUPATIONAL_DISABILITY}

birth_dates = st.dates(min_value=date(1930, 1, 1), max_value=date(2015, 12, 31))
accident_dates = st.dates(min_value=date(2016, 1, 1), max_value=date(2025, 12, 31))


@st.composite
def claims(draw: st.DrawFn) -> ClaimFacts:
    accident = draw(accident_dates)
    cost_days = st.integers(min_value=0, max_value=8 * 366).map(
        lambda days: accident + timedelta(days=days)
    )
    costs = draw(st.lists(st.builds(Cost, cost_days, money), max_size=5))
    scar = draw(st.none() | st.sampled_from(sorted(DEFAULT_SCAR_TABLE)))
    return ClaimFacts(
        accident_date=accident,
        insured_birth_date=draw(birth_dates),
        level_pbb=draw(levels),
        pbb=draw(pbbs),
        medical_degree=draw(st.integers(0, 100)),
        occupational=draw(st.sampled_from(Occupational)),
        hospital_nights=draw(st.integers(0, 1000)),
        costs=tuple(costs),
        clothes_glasses=draw(money),
        scar=scar,
        pain_months=draw(st.integers(0, MAX_PAIN_MONTHS)),
        died=draw(st.booleans()),
    )


@given(claim=claims())
def test_caps_total_and_signs(claim: ClaimFacts) -> None:
    terms = DEFAULT_TERMS
    result = calculate(terms, claim)
    assert result.total == sum((line.amount for line in result.lines), Decimal(0))
    assert all(line.amount >= 0 for line in result.lines)
    assert all(line.amount == line.amount.quantize(Decimal("0.01")) for line in result.lines)
    assert all(line.basis for line in result.lines)
    items = [line.item for line in result.lines]
    assert len(items) == len(set(items))
    assert items == sorted(items, key=list(Item).index)
    assert disability(result) <= 2 * claim.base_amount
    if claim.died:
        assert disability(result) == 0
        assert result.amount(Item.DEATH) == terms.death_pbb * claim.pbb
    else:
        assert result.line(Item.DEATH) is None
    if claim.medical_degree or claim.occupational is not Occupational.NONE:
        assert items[0] in _DISABILITY
    assert result.amount(Item.ACUTE_CARE) == (terms.acute_care_once if claim.hospital_nights else 0)
    assert result.amount(Item.HOSPITAL) <= terms.hospital_max_days * terms.hospital_per_day
    assert result.amount(Item.CLOTHES_GLASSES) <= terms.clothes_cap_pbb * claim.pbb
    assert result.amount(Item.CLOTHES_GLASSES) <= claim.clothes_glasses
    assert result.amount(Item.COSTS) <= sum((cost.amount for cost in claim.costs), Decimal(0))
    end = anniversary(claim.accident_date, terms.costs_years)
    assert result.amount(Item.COSTS) == sum(
        (cost.amount for cost in claim.costs if cost.incurred_on <= end), Decimal(0)
    )
    if age_on(claim.insured_birth_date, claim.accident_date) < terms.pain_from_age:
        assert result.amount(Item.PAIN_SUFFERING) == 0


@given(birth=birth_dates, on=accident_dates, years=st.integers(0, 90))
def test_age_and_anniversary_agree(birth: date, on: date, years: int) -> None:
    assert (age_on(birth, on) >= years) == (on >= anniversary(birth, years))


@given(level=levels, pbb=pbbs, nights=st.integers(0, 2000))
def test_hospital_pays_nights_up_to_the_cap(level: int, pbb: Decimal, nights: int) -> None:
    result = calculate(DEFAULT_TERMS, facts(level_pbb=level, pbb=pbb, hospital_nights=nights))
    assert result.amount(Item.HOSPITAL) == 200 * min(nights, 365)
