"""The Content-Security-Policy of every response (django-csp), with the Wagtail admin's
additions below ``/admin/``.

The public sites load scripts, styles, fonts and images from their own host only; the
one inline style (the site's accent colour in ``base.html``) carries the request's
nonce. Wagtail's admin still writes inline scripts (date pickers, inline panels,
wagtail-localize's editor) and style attributes, so below ``/admin/`` scripts and
styles may also be inline and images may be ``data:``/``blob:`` (upload previews).
Frames may show the site itself everywhere (the admin's preview). Responses that set
their own policy keep it (Wagtail's document view sends ``default-src 'none'``).
"""

from csp.middleware import CSPMiddleware
from django.conf import settings


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith("/admin/") and parts.replace is None:
            parts.replace = settings.CSP_ADMIN_DIRECTIVES
        return parts
