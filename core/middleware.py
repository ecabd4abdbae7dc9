"""Tenant routing: which schema a request runs in."""

from django.db import connection
from django.shortcuts import render
from django_tenants.middleware.main import TenantMainMiddleware

from core.caching import member_for_host


class MemberTenantMiddleware(TenantMainMiddleware):
    """django-tenants' middleware with four changes our product needs.

    - Wagtail's preview replays the middleware stack on a dummy request built from the
      page's Site hostname; switching schema there would render another member's (or
      the network's) data. A dummy request stays in the schema it came from
      (ARCHITECTURE.md, trap 3).
    - An unknown host gets our 404 page, never the network site and never a 500.
    - An archived member's host answers 410 with an "offline" page; its data stays.
    - The host's member comes from the shared cache (``core.caching``): a page view then
      needs neither the domain query nor a ``SET search_path`` to the public schema.
    """

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
        return None

    def get_tenant(self, domain_model, hostname):
        lookup = super().get_tenant
        return member_for_host(hostname, lambda: lookup(domain_model, hostname))

    def no_tenant_found(self, request, hostname):
        return render(request, "errors/unknown_host.html", {"hostname": hostname}, status=404)
