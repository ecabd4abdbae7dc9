from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("highlights", "0002_highlight_translations"),
    ]

    operations = [
        migrations.AlterField(
            model_name="highlight",
            name="translation_key",
            field=models.UUIDField(verbose_name="Übersetzungsgruppe"),
        ),
        migrations.RemoveConstraint(
            model_name="highlight",
            name="highlight_one_per_source_page",
        ),
        migrations.AddConstraint(
            model_name="highlight",
            constraint=models.UniqueConstraint(
                fields=("member", "translation_key"), name="highlight_one_per_translation_group"
            ),
        ),
    ]
