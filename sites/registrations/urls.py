"""The visitor's registration addresses, below the language prefix (``/de/anmeldung/…``)."""

from django.urls import path

from sites.registrations import views

app_name = "registrations"
urlpatterns = [
    path("<int:page_id>/", views.register, name="register"),
    path("<uuid:key>/bestaetigen/", views.confirm, name="confirm"),
    path("<uuid:key>/abmelden/", views.cancel, name="cancel"),
]
