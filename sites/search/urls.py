"""The search addresses, below the language prefix and spelled in its language:
``/de/suche/``, ``/de/suche/vorschlag/``, ``/en/search/``, ``/en/search/suggest/``
(another language's spelling is a 404 there, as any unknown path)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from sites.search import views

app_name = "search"
urlpatterns = [
    path(_("suche/"), views.search_page, name="page"),
    path(_("suche/vorschlag/"), views.suggestions, name="suggest"),
]
