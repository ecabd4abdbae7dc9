"""The WSGI application (gunicorn); ``DJANGO_SETTINGS_MODULE`` required outside a checkout."""

from django.core.wsgi import get_wsgi_application

from core.settings import settings_module_default

settings_module_default()

application = get_wsgi_application()
