"""sitemap.xml of one host, with the pages of every language the site is published in."""

from functools import reduce
from operator import or_

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from core.languages import site_homes


class LanguageSitemap(Sitemap):
    """Wagtail's sitemap lists the pages below the Site's root page, i.e. only German ones;
    translations hang below the home page's translations, so those trees are added."""

    def items(self):
        homes = site_homes(self.get_wagtail_site()).values()
        if not homes:
            return Page.objects.none()
        below_a_home = reduce(or_, (Q(path__startswith=home.path) for home in homes))
        return (
            Page.objects.filter(below_a_home)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
