from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("highlights", "0005_highlight_image_copy")]

    operations = [
        migrations.AddField(
            model_name="highlight",
            name="pending",
            field=models.JSONField(blank=True, null=True, verbose_name="Änderung des Mitglieds"),
        ),
        migrations.AddField(
            model_name="highlight",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="zurückgezogen am"),
        ),
    ]
