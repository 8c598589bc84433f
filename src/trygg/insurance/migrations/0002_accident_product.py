"""The accident insurance as the seed's price sheet describes it: the price base amounts, the
first tariff version (2016 prices), its cover, and the health declaration "Min hälsa".

The scar table and the pain-and-suffering bands are the product's own tables (the seed says
"by a fixed table"); the health questions are the product's own (the seed names the declaration
but does not print it). Staff change all of these as data; a new tariff version is a new row.
"""

from decimal import Decimal

from django.db import migrations

PBB = {
    2016: "44300",
    2017: "44800",
    2018: "45500",
    2019: "46500",
    2020: "47300",
    2021: "47600",
    2022: "48300",
    2023: "52500",
    2024: "57300",
    2025: "58800",
    2026: "59200",
}

PRICES = {10: "572", 20: "946", 30: "1322", 40: "1698", 50: "2071"}

SCARS = {
    "face:small": "0.10",
    "face:medium": "0.25",
    "face:large": "0.50",
    "other_visible:small": "0.05",
    "other_visible:medium": "0.12",
    "other_visible:large": "0.25",
    "other:small": "0.02",
    "other:medium": "0.05",
    "other:large": "0.10",
}

PAIN = [[3, "1900"], [12, "1500"], [120, "1000"]]

QUESTIONS = [
    (
        "sick_leave",
        "Är du helt eller delvis sjukskriven, eller får du sjuk- eller aktivitetsersättning?",
        "Er du helt eller delvis sykmeldt, eller mottar du uføretrygd eller "
        "arbeidsavklaringspenger?",
        "Are you on full or partial sick leave, or do you receive sickness or activity "
        "compensation?",
    ),
    (
        "treatment_5y",
        "Har du under de senaste fem åren haft sjukdom, skada eller besvär som krävt "
        "behandling eller sjukskrivning i mer än tre veckor?",
        "Har du i løpet av de siste fem årene hatt sykdom, skade eller plager som har krevd "
        "behandling eller sykmelding i mer enn tre uker?",
        "In the last five years, have you had an illness, injury or complaint that needed "
        "treatment or sick leave for more than three weeks?",
    ),
    (
        "disability",
        "Har du någon bestående skada eller funktionsnedsättning, eller har du fått "
        "invaliditetsersättning från någon försäkring?",
        "Har du en varig skade eller funksjonsnedsettelse, eller har du fått "
        "invaliditetserstatning fra en forsikring?",
        "Do you have a permanent injury or disability, or have you received disability "
        "benefit from an insurance?",
    ),
    (
        "back_joints",
        "Har du eller har du haft besvär från rygg, nacke, leder eller muskler?",
        "Har du eller har du hatt plager fra rygg, nakke, ledd eller muskler?",
        "Do you have, or have you had, complaints of the back, neck, joints or muscles?",
    ),
    (
        "medication",
        "Använder du regelbundet receptbelagda läkemedel?",
        "Bruker du reseptbelagte legemidler regelmessig?",
        "Do you regularly take prescribed medicines?",
    ),
    (
        "risk_sports",
        "Utövar du motorsport, klättring, dykning, kampsport eller annan riskfylld sport?",
        "Driver du med motorsport, klatring, dykking, kampsport eller annen risikosport?",
        "Do you take part in motor sport, climbing, diving, combat sports or another "
        "hazardous sport?",
    ),
]


def forward(apps, schema_editor):
    PriceBaseAmount = apps.get_model("insurance", "PriceBaseAmount")
    Product = apps.get_model("insurance", "Product")
    Tariff = apps.get_model("insurance", "Tariff")
    TariffPrice = apps.get_model("insurance", "TariffPrice")
    HealthQuestion = apps.get_model("insurance", "HealthQuestion")
    for year, amount in PBB.items():
        PriceBaseAmount.objects.get_or_create(year=year, defaults={"amount": Decimal(amount)})
    product, _ = Product.objects.get_or_create(
        code="accident", defaults={"name": "Olycksfallsförsäkring", "company_code": "10"}
    )
    tariff, created = Tariff.objects.get_or_create(
        product=product,
        version="2016-1",
        defaults={
            "valid_from": "2016-01-01",
            "price_from_age": 19,
            "limited_from_age": 46,
            "limited_max_level": 40,
            "surcharge_monthly": Decimal(0),
            "surcharge_half_yearly": Decimal(0),
            "acute_care_once": Decimal(500),
            "hospital_per_day": Decimal(200),
            "hospital_max_days": 365,
            "costs_years": 5,
            "clothes_cap_pbb": Decimal("0.25"),
            "death_pbb": Decimal(1),
            "pain_from_age": 18,
            "pain_bands": PAIN,
            "scar_table": SCARS,
        },
    )
    if created:
        for level, price in PRICES.items():
            TariffPrice.objects.create(tariff=tariff, level=level, annual_price=Decimal(price))
    for position, (code, sv, nb, en) in enumerate(QUESTIONS, start=1):
        HealthQuestion.objects.get_or_create(
            product=product,
            code=code,
            defaults={
                "position": position,
                "text_sv": sv,
                "text_nb": nb,
                "text_en": en,
                "refers_on_yes": True,
                "detail_on_yes": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("insurance", "0001_initial")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
