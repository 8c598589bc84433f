"""A satisfaction survey may be asked in a phone call: customer service asks it and records the
answer given."""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

CHANNELS = [("email", "E-mail"), ("sms", "SMS"), ("call", "Phone call")]
PERMS = {"customer_service": ["add_survey", "change_survey"]}


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
    dependencies = [("contact", "0008_camera_and_ticket_roles")]

    operations = [
        migrations.AlterField(
            model_name="outboxmessage",
            name="channel",
            field=models.CharField(choices=CHANNELS, max_length=8, verbose_name="channel"),
        ),
        migrations.AlterField(
            model_name="survey",
            name="channel",
            field=models.CharField(choices=CHANNELS, max_length=8, verbose_name="channel"),
        ),
        migrations.RunPython(grant, revoke),
    ]
