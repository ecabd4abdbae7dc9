"""The answer of the "report a barrier" form, below the language prefix
(``/de/barriere-melden/<page_id>/``)."""

from django.urls import path

from sites.legal import views

app_name = "legal"
urlpatterns = [
    path("<int:page_id>/", views.report, name="report"),
]
