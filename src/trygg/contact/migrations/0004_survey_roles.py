"""Surveys in the back office: customer service calls the very dissatisfied back and reads the
surveys; the coach reads the statistics per team and month."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMS = {
    "customer_service": ["view_survey", "view_callbacktask", "change_callbacktask"],
    "team_coach": ["view_survey"],
    "privacy_officer": ["view_survey"],
}


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


class Migration(migrations.Migration):
    dependencies = [("contact", "0003_surveys_outbox_callbacks")]
    operations = [migrations.RunPython(grant, revoke)]
