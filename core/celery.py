"""The Celery app. Tenant-aware: a task sent inside a member's schema runs in that schema.

tenant-schemas-celery stamps the schema of the moment of *sending* on each task
(ARCHITECTURE.md, traps 4 and 5), so code that sends after a commit must capture the
schema itself.
"""

from tenant_schemas_celery.app import CeleryApp

from core.settings import settings_module_default

settings_module_default()  # DJANGO_SETTINGS_MODULE required outside a checkout

app = CeleryApp("kommunalnetz")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
