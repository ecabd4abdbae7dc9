"""The members' area in the frame of the network's pages: "Login" in the header (or the
logged-in person's name with "Mitgliederbereich" and a logout button), and the area's
own navigation on its pages.

The header reads the session only when the request carries a session cookie: an
anonymous visitor's page then neither touches the session nor varies on ``Cookie``,
and stays in the page cache.
"""

from django import template
from django.conf import settings
from django.db import connection

from core.schemas import is_public_schema
from sites.member_area.selectors import member_area_access, members_area_around, members_area_for

register = template.Library()


def _logged_in(request):
    """The logged-in user, without reading the session of a request that has none."""
    if request is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    return user if user is not None and member_area_access(user) else None


@register.inclusion_tag("member_area/header.html", takes_context=True)
def member_area_header(context):
    request = context.get("request")
    if request is None or not is_public_schema(connection.schema_name):
        return {"shown": False}
    if getattr(request, "tenant", None) is None or request.tenant.schema_name != "public":
        return {"shown": False}  # an error page of an unknown host, rendered in public
    user = _logged_in(request)
    area = members_area_for() if user is not None else None
    return {"shown": True, "user": user, "area": area, "request": request}


@register.inclusion_tag("member_area/nav.html", takes_context=True)
def members_area_nav(context):
    """The area's children, on the area's page and every page below it."""
    page = context.get("page")
    area = members_area_around(page) if page is not None else None
    if area is None:
        return {"area": None}
    items = []
    for child in area.get_children().live():
        current = None
        if child.pk == page.pk:
            current = "page"
        elif page.path.startswith(child.path):
            current = "true"
        items.append({"page": child, "current": current})
    return {"area": area, "items": items, "page": page, "request": context.get("request")}
