"""The intermediary's legal entities and the products as the service starts with them (seed 004):
mySafety AS until 30 September 2019, mySafety Försäkringar AB from 1 October 2019 ("Fornyer du
en eksisterende forsikring eller tegner en avtale ... kommer mySafety Försäkringar AB til å stå
som forsikringsformidler"), a tied agent of Moderna Försäkringar supervised by Finanstilsynet and
Finansinspektionen. The seed names no prices: the prices here are starting values that the
insurer sets in the back office."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

SUPERVISION = "Finanstilsynet (Norge) og Finansinspektionen (Sverige)"
ROLE = "Forsikringsformidler, tilknyttet forsikringsagent for Moderna Försäkringar"

ENTITIES = [
    ("mysafety-as", "mySafety AS", "NO", "", dt.date(2000, 1, 1)),
    (
        "mysafety-forsakringar-ab",
        "mySafety Försäkringar AB",
        "SE",
        "Box 27142, 102 52 Stockholm, Sverige",
        dt.date(2019, 10, 1),
    ),
]

# code, name, kind, plan, months paid by one invoice, price (NOK), insurer
PRODUCTS = [
    ("sperreservice-maned", "SperreService, månedlig", "blocking", "monthly", 1, "49.00", ""),
    (
        "sperreservice-ar",
        "SperreService, forhåndsbetalt år",
        "blocking",
        "prepaid",
        12,
        "499.00",
        "",
    ),
    ("id-beskyttelse", "ID-beskyttelse", "id_protection", "prepaid", 12, "299.00", ""),
    ("nokkelbrikke", "Nøkkelbrikke", "key_tag", "prepaid", 12, "149.00", ""),
    (
        "kortforsikring",
        "Kort- og nøkkelforsikring",
        "insurance",
        "annual",
        12,
        "390.00",
        "Moderna Försäkringar",
    ),
]


def load(apps, schema_editor):
    LegalEntity = apps.get_model("protection", "LegalEntity")
    Product = apps.get_model("protection", "Product")
    for code, name, country, address, valid_from in ENTITIES:
        LegalEntity.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "country": country,
                "address": address,
                "role": ROLE,
                "supervision": SUPERVISION,
                "valid_from": valid_from,
            },
        )
    for code, name, kind, plan, months, price, insurer in PRODUCTS:
        Product.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "plan": plan,
                "period_months": months,
                "price": Decimal(price),
                "insurer": insurer,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("protection", "Product").objects.filter(agreements__isnull=True).delete()
    apps.get_model("protection", "LegalEntity").objects.filter(agreements__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("protection", "0004_agreements_products_invoices")]
    operations = [migrations.RunPython(load, unload)]
