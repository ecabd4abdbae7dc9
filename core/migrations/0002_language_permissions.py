"""Editor groups made before languages were added may translate and enable languages too,
and edit the language versions of their home page (see tenants.services)."""

from django.db import migrations

# The groups tenants.services.editors_group_ensure makes (names fixed at this migration).
EDITOR_GROUPS = ["Koordination", "Redaktion"]
LANGUAGE_PERMISSIONS = [
    ("wagtail_localize", "submit_translation"),
    ("wagtailcore", "add_locale"),
    ("wagtailcore", "change_locale"),
]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    permissions = [
        permission
        for app_label, codename in LANGUAGE_PERMISSIONS
        for permission in Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        )
    ]
    for group in Group.objects.filter(name__in=EDITOR_GROUPS):
        group.permissions.add(*permissions)
        for home_grant in GroupPagePermission.objects.filter(group=group, page__depth=2):
            versions = Page.objects.filter(
                depth=2, translation_key=home_grant.page.translation_key
            ).exclude(pk=home_grant.page_id)
            for version in versions:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=version, permission_id=home_grant.permission_id
                )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
