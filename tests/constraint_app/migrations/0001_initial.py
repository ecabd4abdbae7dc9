from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.CreateModel(
            name="Badge",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("code", models.CharField(max_length=20)),
                (
                    "holder",
                    models.ForeignKey(
                        null=True, on_delete=models.deletion.CASCADE, to="auth.user"
                    ),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name="badge",
            constraint=models.UniqueConstraint(fields=["code", "holder"], name="badge_code_holder_unique"),
        ),
        migrations.AddConstraint(
            model_name="badge",
            constraint=models.CheckConstraint(
                condition=~models.Q(code=""), name="badge_code_not_empty"
            ),
        ),
    ]
