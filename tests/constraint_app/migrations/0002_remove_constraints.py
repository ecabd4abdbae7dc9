from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("constraint_app", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(model_name="badge", name="badge_code_holder_unique"),
        migrations.RemoveConstraint(model_name="badge", name="badge_code_not_empty"),
    ]
