"""Editor groups made before event registration may see their events' registrations and
handle them (cancel, move up, mail the participants), as tenants.services gives new ones."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# The groups tenants.services.editors_group_ensure makes (names fixed at this migration).
EDITOR_GROUPS = ["Koordination", "Redaktion"]
CODENAMES = ["view_registration", "change_registration"]


def grant(apps, schema_editor):
    # Django creates permissions after the whole migration run; this one needs them now.
    app_config = apps.get_app_config("registrations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="registrations", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=EDITOR_GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
