from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("highlights", "0006_highlight_review_and_withdrawal")]

    operations = [
        migrations.AddField(
            model_name="directoryentry",
            name="latitude",
            field=models.DecimalField(
                blank=True, decimal_places=6, max_digits=9, null=True, verbose_name="Breitengrad"
            ),
        ),
        migrations.AddField(
            model_name="directoryentry",
            name="longitude",
            field=models.DecimalField(
                blank=True, decimal_places=6, max_digits=9, null=True, verbose_name="Längengrad"
            ),
        ),
    ]
