"""URLs of every host: network and member sites differ by schema, not by URL layout."""

from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from core import feeds
from core.views import schema_media
from highlights.feeds import HighlightFeed

feed_patterns = [
    path("news.rss", feeds.NewsFeed(), name="news"),
    path("events.ics", feeds.events_calendar, name="events"),
    path("events/<int:page_id>.ics", feeds.event_calendar, name="event"),
    path("highlights.rss", HighlightFeed(), name="highlights"),  # network host only
]

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    re_path(r"^media/(?P<schema>[a-z0-9_]+)/(?P<path>.+)$", schema_media, name="schema_media"),
    path("feeds/", include((feed_patterns, "feeds"))),
    # Wagtail's sitemap lists the pages of the request's Site, i.e. of this host only.
    path("sitemap.xml", sitemap, name="sitemap"),
    path("", include(wagtail_urls)),
]
