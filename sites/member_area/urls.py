"""The members' area's pages, below the language prefix (``core.urls``)."""

from django.urls import path

from sites.member_area import views

app_name = "member_area"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("login/passwort/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "login/passwort/gesendet/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "login/passwort/fertig/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "login/passwort/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("login/einladung/<str:token>/", views.invitation, name="invitation"),
]
