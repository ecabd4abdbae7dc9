"""Small helpers about schema names, used wherever code must know where it runs."""

from django.conf import settings


def is_public_schema(schema_name: str) -> bool:
    return schema_name == settings.PUBLIC_SCHEMA_NAME


def is_system_schema(schema_name: str) -> bool:
    return schema_name in (settings.PUBLIC_SCHEMA_NAME, settings.MEMBER_TEMPLATE_SCHEMA)
