"""URLs of every host: network and member sites differ by schema, not by URL layout.

Pages, feeds and the sitemap may be kept by the page cache (``cacheable``, core.pagecache).
Pages and feeds carry their language: ``/de/…``, ``/en/…`` (``core.views.serve``). ``/``
leads to the home page in the visitor's language; an old address without a language
leads to its German page.
"""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from core import feeds, logins, views
from core.pagecache import cacheable
from core.sitemaps import LanguageSitemap
from sites.member_area import views as member_area_views
from sites.network.feeds import HighlightFeed, network_calendar

PAGE_PATH = r"(?P<path>(?:[\w\-]+/)*)"  # Wagtail's serve pattern (WAGTAIL_APPEND_SLASH)

feed_patterns = [
    path("news.rss", cacheable(feeds.NewsFeed()), name="news"),
    path("events.ics", cacheable(feeds.events_calendar), name="events"),
    path("events/<int:page_id>.ics", cacheable(feeds.event_calendar), name="event"),
    path("highlights.rss", cacheable(HighlightFeed()), name="highlights"),  # network host only
    path("calendar.ics", cacheable(network_calendar), name="calendar"),  # network host only
]

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path(  # Wagtail's view, throttled (core/logins.py); before the include that has it too
        "documents/authenticate_with_password/<int:restriction_id>/",
        logins.collection_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    path(  # Wagtail's view, private answers for restricted collections (core/privacy.py)
        "documents/<int:document_id>/<str:document_filename>",
        views.document_serve,
        name="wagtaildocs_serve",
    ),
    path("documents/", include(wagtaildocs_urls)),
    re_path(
        r"^media/(?P<schema>[a-z0-9_]+)/(?P<path>.+)$", views.schema_media, name="schema_media"
    ),
    # Wagtail's sitemap lists the pages of the request's Site, i.e. of this host only.
    path(
        "sitemap.xml",
        cacheable(sitemap, ignores_language=True),
        {"sitemaps": {"pages": LanguageSitemap}},
        name="sitemap",
    ),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        logins.page_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("_util/login/", member_area_views.frontend_login, name="wagtailcore_login"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("apple-touch-icon.png", views.touch_icon, name="touch_icon"),
    path("apple-touch-icon-precomposed.png", views.touch_icon),
    path("", views.language_home, name="language_home"),
]
urlpatterns += i18n_patterns(
    path("feeds/", include((feed_patterns, "feeds"))),
    path("anmeldung/", include("sites.registrations.urls")),  # never cached: no cacheable
    path("barriere-melden/", include("sites.legal.urls")),  # never cached: no cacheable
    path("", include("sites.member_area.urls")),  # never cached: logins, network host only
    path("", include("sites.search.urls")),  # never cached: results follow the index
    re_path(rf"^{PAGE_PATH}$", cacheable(views.serve), name="wagtail_serve"),
    prefix_default_language=True,
)
urlpatterns += [re_path(rf"^{PAGE_PATH}$", views.unprefixed, name="unprefixed")]
