"""The `curator` group, holding the permission to use the curator studio."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def group_create(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs its one now.
    config = apps.get_app_config("curator")
    config.models_module = True  # a migration's app stub has none; create_permissions asks
    create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="curator")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="curator", codename="use_studio")
    )


def group_delete(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="curator").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("curator", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(group_create, group_delete)]
