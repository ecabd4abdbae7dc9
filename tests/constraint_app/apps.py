from django.apps import AppConfig


class ConstraintAppConfig(AppConfig):
    """Test-only tenant app whose second migration removes a named constraint."""

    name = "tests.constraint_app"
    label = "constraint_app"
