"""Creating the legal pages and the Leichte-Sprache page of a site."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from wagtail.models import Page, Site

from core.languages import page_language
from sites.legal import defaults
from sites.legal.models import LEGAL_PAGE_MODELS, EasyLanguagePage, ImprintPage
from sites.legal.selectors import language_homes


def _fill(page: Page, language: str) -> Page:
    """Set the template texts of ``page``'s type in ``language``."""
    with translation.override(language):
        texts = defaults.TEMPLATES[type(page).__name__]()
    for name, value in texts.items():
        setattr(page, name, value)
    page.draft_title = page.title
    return page


def _publish(page: Page) -> None:
    page.save_revision(log_action=True).publish()


def _legal_page_add(model, home: Page, source: Page | None) -> Page:
    """``model``'s page below ``home``: a translation of ``source`` when there is one
    (the language switcher then links them), else a new page; published."""
    language = page_language(home)
    if source is None:
        page = _fill(model(locale_id=home.locale_id), language)
        home.add_child(instance=page)
    else:
        page = _fill(source.copy_for_translation(home.locale).specific, language)
        page.save()
    _publish(page)
    return page


def legal_pages_ensure(*, network: bool) -> list[Page]:
    """Give each Site of the *current* schema the pages every public-sector site needs:
    imprint, privacy policy and accessibility statement below each of its live language
    homes, and the Leichte-Sprache page below its German home. Returns what was created.

    Existing pages are left as the editors made them, and a site whose root is not a
    home page (an editor re-rooted it) gets nothing. Runs when a site is prepared
    (network, member template, every new member, which is cloned with the template's
    pages) and from ``setup_platform`` for sites that existed before.
    """
    created = []
    with transaction.atomic():
        for site in Site.objects.select_related("root_page"):
            home = site.root_page
            if not ImprintPage.can_exist_under(home):
                continue  # an editor rooted the site elsewhere: not ours to fill
            _root, *translations = language_homes(site)
            for model in LEGAL_PAGE_MODELS:
                source = model.objects.child_of(home).first()
                if source is None:
                    source = _legal_page_add(model, home, None)
                    created.append(source)
                for language_home in translations:
                    if not model.objects.child_of(language_home).exists():
                        created.append(_legal_page_add(model, language_home, source))
            if (
                page_language(home) == settings.LANGUAGE_CODE
                and not EasyLanguagePage.overviews_below(home).exists()
            ):
                page = EasyLanguagePage(locale_id=home.locale_id, **defaults.easy_language())
                page.draft_title = page.title
                home.add_child(instance=page)
                _publish(page)
                created.append(page)
    return created
