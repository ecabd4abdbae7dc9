"""What is unfinished about a site's legal pages, for the warning on its admin dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from core.languages import page_language
from core.models import SiteSettings
from sites.legal.models import LEGAL_PAGE_MODELS, AccessibilityStatementPage, EasyLanguagePage


@dataclass(frozen=True)
class LegalProblem:
    """One thing an editor must do, and the admin page where it is done."""

    text: str
    url: str


def language_homes(site: Site) -> list[Page]:
    """The homes the legal pages go below: the site's root and its live translations
    (aliases of the root show the root's pages and get none of their own)."""
    home = site.root_page
    return [home, *home.get_translations().live().filter(alias_of__isnull=True)]


def _site_settings(site: Site) -> SiteSettings:
    """The stored settings, or the defaults without writing a row."""
    return SiteSettings.objects.filter(site=site).first() or SiteSettings(site=site)


def _settings_problems(site: Site) -> list[LegalProblem]:
    site_settings = _site_settings(site)
    url = reverse("wagtailsettings:edit", args=["core", "sitesettings", site.pk])
    missing = [
        (site_settings.controller, _("Die verantwortliche Stelle fehlt (Impressum, Datenschutz).")),
        (site_settings.representative, _("Es fehlt, wer die Stelle vertritt (Impressum).")),
        (
            site_settings.contact_email,
            _("Die E-Mail-Adresse der Website fehlt (Impressum, „Barriere melden“)."),
        ),
        (
            site_settings.data_protection_contact,
            _("Der Kontakt der datenschutzbeauftragten Person fehlt (Datenschutz)."),
        ),
    ]
    return [LegalProblem(text, url) for value, text in missing if not value.strip()]


def _edit(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _page_problems(page: Page | None, model, home: Page, name: str) -> list[LegalProblem]:
    """What is wrong with ``page``, the ``model`` page below ``home`` (None: missing)."""
    if page is None:
        meta = model._meta
        url = reverse("wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, home.pk])
        return [LegalProblem(_("%(page)s fehlt.") % {"page": name}, url)]
    problems = []
    if not page.live:
        problems.append(
            LegalProblem(_("%(page)s ist nicht veröffentlicht.") % {"page": name}, _edit(page))
        )
    if page.has_placeholders():
        problems.append(
            LegalProblem(
                _("%(page)s enthält noch Stellen mit „[Bitte ergänzen“.") % {"page": name},
                _edit(page),
            )
        )
    if isinstance(page, AccessibilityStatementPage) and page.prepared_on is None:
        problems.append(
            LegalProblem(
                _("%(page)s: das Datum der Erstellung fehlt.") % {"page": name}, _edit(page)
            )
        )
    return problems


def _name(model, home: Page) -> str:
    """The page type's name, with the language where it is not the site's default one."""
    name = str(model._meta.verbose_name)
    language = page_language(home)
    if language == settings.LANGUAGE_CODE:
        return name
    return f"{name} ({get_language_info(language)['name_translated']})"


def legal_problems(site: Site) -> list[LegalProblem]:
    """What is missing or unfinished on ``site`` (a Site of the *current* schema): its
    settings for the legal pages, and the legal pages below each live language home and
    the Leichte-Sprache page below the German home."""
    problems = _settings_problems(site)
    for language_home in language_homes(site):
        for model in LEGAL_PAGE_MODELS:
            page = model.objects.child_of(language_home).first()
            problems += _page_problems(page, model, language_home, _name(model, language_home))
    home = site.root_page
    overview = EasyLanguagePage.overviews_below(home).first()
    problems += _page_problems(overview, EasyLanguagePage, home, _("Die Seite in Leichter Sprache"))
    return problems
