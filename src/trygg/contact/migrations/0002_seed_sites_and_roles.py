"""The sites of seed 003 with their controllers, processors and retention, and the roles: the
security officer reports recorded threats to the police and hands recordings over; the coach
draws and records reviews; customer service registers objections; the privacy officer changes a
site's controller (the police hold itself is lifted by the privacy officer on the hold's page)."""

import datetime as dt

from django.contrib.auth.management import create_permissions
from django.db import migrations

STOCKHOLM = "Länsförsäkringar Stockholm"
LF_AB = "Länsförsäkringar AB"
SINCE = dt.date(2018, 5, 25)  # the records of seed 003 as they stand since the GDPR applies
GUARDS = "Security company (guards)"
CAMERAS = "Camera vendor"
VISITOR_SYSTEM = "Provider of the visitor system"
SITES = [
    # code, address, visitor rule, camera rule, parking, controller, processors
    (
        "telegrafgatan",
        "Telegrafgatan 8A, Solna",
        "visitor",
        "camera",
        False,
        STOCKHOLM,
        {"camera": [GUARDS], "visitors": [VISITOR_SYSTEM]},
    ),
    (
        "humlegardsgatan",
        "Humlegårdsgatan 20, Stockholm",
        "visitor",
        "camera",
        False,
        STOCKHOLM,
        {"camera": [GUARDS], "visitors": [VISITOR_SYSTEM]},
    ),
    (
        "stora-brogatan",
        "Stora Brogatan 7, Norrtälje",
        "visitor",
        "camera",
        False,
        STOCKHOLM,
        {"camera": [GUARDS], "visitors": [VISITOR_SYSTEM]},
    ),
    (
        "tegeluddsvagen",
        "Tegeluddsvägen 11-13, Stockholm",
        "visitor-30",
        "camera-30",
        True,
        LF_AB,
        {
            "camera": [CAMERAS],
            "visitors": [
                VISITOR_SYSTEM,
                "Provider of the access-card system",
                "Maintainer of the access-card system",
            ],
        },
    ),
]
PERMS = {
    "privacy_officer": ["view_site", "change_site", "view_interaction", "view_objection"],
    "security_officer": [
        "view_site",
        "view_interaction",
        "report_interaction",
        "release_interaction",
    ],
    "team_coach": ["view_interaction", "view_review", "add_review", "change_review"],
    "customer_service": ["view_objection", "add_objection"],
}


def seed(apps, schema_editor):
    Site = apps.get_model("contact", "Site")
    SiteController = apps.get_model("contact", "SiteController")
    SiteProcessor = apps.get_model("contact", "SiteProcessor")
    for code, address, visitor_rule, camera_rule, parking, controller, processors in SITES:
        site = Site.objects.create(
            code=code,
            address=address,
            visitor_rule=visitor_rule,
            camera_rule=camera_rule,
            parking=parking,
        )
        for processing in ("camera", "visitors"):
            SiteController.objects.create(
                site=site, processing=processing, controller=controller, valid_from=SINCE
            )
            for role in processors[processing]:
                SiteProcessor.objects.create(site=site, processing=processing, role=role)


def unseed(apps, schema_editor):
    apps.get_model("contact", "Site").objects.filter(code__in=[s[0] for s in SITES]).delete()


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in PERMS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label="contact", codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in PERMS.items():
        group = Group.objects.filter(name=group_name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="contact", codename__in=codenames
                )
            )
    Group.objects.filter(name__in=["security_officer", "team_coach"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0001_sites_interactions_objections"),
        ("identity", "0002_staff_roles"),
    ]
    operations = [migrations.RunPython(seed, unseed), migrations.RunPython(grant, revoke)]
