"""Customer service manages security tokens; the other roles may see them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TOKEN_PERMS = {
    "customer_service": ["view_securitytoken", "add_securitytoken", "change_securitytoken"],
    "privacy_officer": ["view_securitytoken"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in TOKEN_PERMS.items():
        group = Group.objects.get(name=group_name)
        for codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label="identity", codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in TOKEN_PERMS.items():
        group = Group.objects.filter(name=group_name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="identity", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("identity", "0003_security_tokens")]
    operations = [migrations.RunPython(grant, revoke)]
