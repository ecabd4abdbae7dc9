"""The Content-Security-Policy of every response (django-csp), with the Wagtail admin's
additions below ``/admin/``.

The public sites load scripts, styles, fonts and images from their own host only; the
one inline style (the site's accent colour in ``base.html``) is allowed by its hash,
which stays the same for every visitor, so a page from the page cache keeps a matching
policy (a nonce would be shared by all who get the cached copy, and mean nothing).
Wagtail's admin still writes inline scripts (date pickers, inline panels,
wagtail-localize's editor) and style attributes, so below ``/admin/`` scripts and
styles may also be inline and images may be ``data:``/``blob:`` (upload previews).
Frames may show the site itself everywhere (the admin's preview). Responses that set
their own policy keep it (Wagtail's document view sends ``default-src 'none'``).
"""

from csp.middleware import CSPMiddleware
from django.conf import settings

from core.theme import accent_style_source


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith("/admin/") and parts.replace is None:
            parts.replace = settings.CSP_ADMIN_DIRECTIVES
        chrome = getattr(request, "_site_chrome", None)  # the page frame was rendered
        if chrome is not None:
            update = dict(parts.update or {})
            update["style-src"] = [*update.get("style-src", ()), accent_style_source(chrome.accent)]
            parts.update = update
        return parts
