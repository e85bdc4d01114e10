"""The staff member's own password (#15, item 4), mounted at ``/wachtwoord/``.

Django's own URL names (``password_change``, ``password_reset_confirm``, …), without a
namespace: its views and the admin refer to them by these names.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from klachten.accounts import views

urlpatterns = [
    path("wijzigen/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "gewijzigd/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "herstellen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "hersteld/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
