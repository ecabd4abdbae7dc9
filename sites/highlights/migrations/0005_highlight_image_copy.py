"""Highlights keep a teaser-sized copy of the member's image instead of a link to the
full-size original, and remember which original it was made from.

``image_source`` is filled from the old link (its file name is the original's, below
Wagtail's ``original_images/``), so that the change of column does not mark approved
highlights as changed; the copies are made by the next reconciliation.
"""

from pathlib import PurePosixPath

from django.db import migrations, models


def image_source_from_url(apps, schema_editor):
    Highlight = apps.get_model("highlights", "Highlight")
    for row in Highlight.objects.exclude(image_url="").only("pk", "image_url"):
        name = PurePosixPath(row.image_url).name
        Highlight.objects.filter(pk=row.pk).update(image_source=f"original_images/{name}")


class Migration(migrations.Migration):
    dependencies = [
        ("highlights", "0004_directoryentry_from_tenants"),
    ]

    operations = [
        migrations.AddField(
            model_name="highlight",
            name="image_source",
            field=models.CharField(blank=True, max_length=500, verbose_name="Bild beim Mitglied"),
        ),
        migrations.AddField(
            model_name="highlight",
            name="image",
            field=models.FileField(blank=True, max_length=500, upload_to="", verbose_name="Bild"),
        ),
        migrations.RunPython(image_source_from_url, migrations.RunPython.noop),
        migrations.RemoveField(model_name="highlight", name="image_url"),
    ]
