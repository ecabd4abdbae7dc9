"""Tenant routing: which schema a request runs in."""

from django.db import connection
from django.http.request import split_domain_port
from django.shortcuts import render
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import remove_www

from core.caching import member_for_host


class MemberTenantMiddleware(TenantMainMiddleware):
    """django-tenants' middleware with five changes our product needs.

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
    """

    @staticmethod
    def hostname_from_request(request):
        """The request's host in lower case, without port and one trailing dot (Django's
        own reading for ALLOWED_HOSTS), and without a leading "www." as before."""
        domain, _port = split_domain_port(request.get_host())
        return remove_www(domain)

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
