"""The directory entry now belongs to the highlights app (its table moves there, rows kept)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0002_directoryentry"),
        ("highlights", "0004_directoryentry_from_tenants"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DirectoryEntry")],
        ),
    ]
