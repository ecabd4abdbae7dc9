"""Tenant routing: which schema a request runs in."""

import logging

from django.db import connection
from django.shortcuts import render
from django.utils import translation
from django_tenants.middleware.main import TenantMainMiddleware

from core.caching import member_for_host, request_site, site_root_paths
from core.pagecache import request_host
from core.schemas import is_public_schema, schema_missing_tables

logger = logging.getLogger(__name__)
# Seconds a client is asked to wait before trying an incomplete member's site again.
RETRY_AFTER_INCOMPLETE = 300


class MemberTenantMiddleware(TenantMainMiddleware):
    """django-tenants' middleware with seven changes our product needs.

    - Wagtail's preview replays the middleware stack on a dummy request built from the
      page's Site hostname; switching schema there would render another member's (or
      the network's) data. A dummy request stays in the schema it came from
      (ARCHITECTURE.md, trap 3).
    - An unknown host gets our 404 page, never the network site and never a 500.
    - An archived member's host answers 410 with an "offline" page; its data stays.
    - The host's member comes from the shared cache (``core.caching``): a page view then
      needs neither the domain query nor a ``SET search_path`` to the public schema.
    - Host names are matched as DNS treats them: ``HERTEN.localhost`` and
      ``herten.localhost.`` are ``herten.localhost`` (the stock middleware compares
      the raw Host header and answers both with the unknown-host 404).
    - Wagtail's Site of the request and its site root paths come from the site data
      (``core.caching``) with the schema's other cached entries: no query and no round
      trip of their own.
    - A member whose schema lacks tables (a failed or pending migration) answers 503:
      with search_path "<schema>, public" its requests would read and write the
      network's tables of those names (``core.schemas``).
    """

    @staticmethod
    def hostname_from_request(request):
        """The request's host as the page cache reads it too (``request_host``)."""
        return request_host(request)[0]

    def process_request(self, request):
        if getattr(request, "is_dummy", False):
            request.tenant = connection.tenant
            self.setup_url_routing(request)
            return None
        response = super().process_request(request)
        if response is not None:
            return response
        if not request.tenant.is_active:
            connection.set_schema_to_public()
            return render(
                request, "errors/member_offline.html", {"member": request.tenant}, status=410
            )
        schema = request.tenant.schema_name
        missing = [] if is_public_schema(schema) else schema_missing_tables(schema)
        if missing:
            return self.schema_incomplete(request, missing)
        # Wagtail reads these from the request, else with a query and a round trip
        request._wagtail_site = request_site(request)
        request._wagtail_cached_site_root_paths = site_root_paths()
        return None

    @staticmethod
    def schema_incomplete(request, missing):
        """503 in the visitor's language, rendered in the public schema: nothing of the
        member's may be read while its tables fall through to the network's."""
        schema = request.tenant.schema_name
        logger.error(
            "Schema %s lacks %d tables (%s): its site answers 503 until the schema is "
            "complete (migrate_schemas names such schemas)",
            schema,
            len(missing),
            ", ".join(missing[:5]) + (", …" if len(missing) > 5 else ""),
        )
        connection.set_schema_to_public()
        with translation.override(translation.get_language_from_request(request, check_path=True)):
            response = render(
                request, "errors/member_unavailable.html", {"member": request.tenant}, status=503
            )
        response["Retry-After"] = str(RETRY_AFTER_INCOMPLETE)
        return response

    def get_tenant(self, domain_model, hostname):
        lookup = super().get_tenant
        return member_for_host(hostname, lambda: lookup(domain_model, hostname))

    def no_tenant_found(self, request, hostname):
        return render(request, "errors/unknown_host.html", {"hostname": hostname}, status=404)
