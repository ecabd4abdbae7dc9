"""The directory entry moves from tenants to the app of the other copies; its rows stay.

State: the model is created here and deleted in tenants 0003. Database: the table keeps
its rows and is only renamed to this app's name.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("highlights", "0003_highlight_one_per_translation_group"),
        ("tenants", "0002_directoryentry"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DirectoryEntry",
                    fields=[
                        (
                            "member",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="directory_entry",
                                serialize=False,
                                to="tenants.member",
                            ),
                        ),
                        ("lead", models.TextField(blank=True)),
                        ("facts", models.JSONField(blank=True, default=list)),
                        ("contact_name", models.CharField(blank=True, max_length=200)),
                        ("contact_role", models.CharField(blank=True, max_length=200)),
                        ("contact_phone", models.CharField(blank=True, max_length=50)),
                        ("contact_email", models.EmailField(blank=True, max_length=254)),
                        ("contact_address", models.TextField(blank=True)),
                        ("profile_url", models.URLField(blank=True)),
                        ("updated", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "verbose_name": "Verzeichniseintrag",
                        "verbose_name_plural": "Verzeichniseinträge",
                        "db_table": "tenants_directoryentry",
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="directoryentry", table=None),
    ]
