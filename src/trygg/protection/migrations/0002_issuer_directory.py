"""The issuer directory as the service starts with it: the usual Norwegian and Swedish card
issuers, mobile operators, road authorities and police, each reached through the blocking
service named ``simulator`` until the insurer configures the real ones (TRYGG_ISSUERS and the
directory in the back office)."""

from django.db import migrations

# code, name, country, kind, can order a replacement card, the customer's number for the issuer
# (the numbers are entered in the back office)
DIRECTORY = [
    ("dnb", "DNB", "NO", "card_issuer", True, ""),
    ("nordea-no", "Nordea (Norge)", "NO", "card_issuer", True, ""),
    ("sparebank1", "SpareBank 1", "NO", "card_issuer", True, ""),
    ("handelsbanken-no", "Handelsbanken (Norge)", "NO", "card_issuer", True, ""),
    ("danske-bank-no", "Danske Bank (Norge)", "NO", "card_issuer", True, ""),
    ("amex-no", "American Express (Norge)", "NO", "card_issuer", False, ""),
    ("telenor", "Telenor", "NO", "mobile_operator", False, ""),
    ("telia-no", "Telia (Norge)", "NO", "mobile_operator", False, ""),
    ("ice", "Ice", "NO", "mobile_operator", False, ""),
    ("statens-vegvesen", "Statens vegvesen", "NO", "road_authority", False, ""),
    ("politiet", "Politiet", "NO", "police", False, ""),
    ("swedbank", "Swedbank", "SE", "card_issuer", True, ""),
    ("seb", "SEB", "SE", "card_issuer", True, ""),
    ("handelsbanken-se", "Handelsbanken", "SE", "card_issuer", True, ""),
    ("tele2", "Tele2", "SE", "mobile_operator", False, ""),
    ("telia-se", "Telia", "SE", "mobile_operator", False, ""),
    ("transportstyrelsen", "Transportstyrelsen", "SE", "road_authority", False, ""),
    ("polismyndigheten", "Polismyndigheten", "SE", "police", False, ""),
]


def load(apps, schema_editor):
    Issuer = apps.get_model("protection", "Issuer")
    for code, name, country, kind, replacement, phone in DIRECTORY:
        Issuer.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "country": country,
                "kind": kind,
                "can_order_replacement": replacement,
                "phone": phone,
                "endpoint": "simulator",
            },
        )


def unload(apps, schema_editor):
    Issuer = apps.get_model("protection", "Issuer")
    Issuer.objects.filter(code__in=[row[0] for row in DIRECTORY], items__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("protection", "0001_registry_and_blocking")]
    operations = [migrations.RunPython(load, unload)]
