"""URLs of every host: network and member sites differ by schema, not by URL layout."""

from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core.views import schema_media

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    re_path(r"^media/(?P<schema>[a-z0-9_]+)/(?P<path>.+)$", schema_media, name="schema_media"),
    path("", include(wagtail_urls)),
]
