from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("highlights", "0007_directoryentry_coordinates")]

    operations = [
        migrations.AddField(
            model_name="highlight",
            name="editor_note",
            field=models.TextField(
                blank=True, db_default="", default="", verbose_name="Nachricht an das Mitglied"
            ),
        ),
        migrations.AddField(
            model_name="highlight",
            name="editor_note_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="Nachricht vom"),
        ),
    ]
