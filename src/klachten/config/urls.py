"""URLs: the staff pages, the API (CONTRACT.md) and the admin for admins."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic.base import RedirectView

from klachten.api.errors import not_found_view as api_not_found
from klachten.api.main import api
from klachten.ops import error_pages, views

# Styled pages in the product's layout; JSON under /api/ (klachten.ops.error_pages).
handler404 = "klachten.ops.error_pages.page_not_found"
handler500 = "klachten.ops.error_pages.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", views.StaffLoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("termijnen/", views.deadline_calculator, name="deadline-calculator"),
    # Before the complaint screens: the delay-notice step (R16) is a message (klachten.messaging).
    path("", include("klachten.messaging.urls")),
    path("meldingen/", include("klachten.privacy.urls")),
    path("meldingen/", include("klachten.complaints.urls")),
    path("bijlagen/", include("klachten.complaints.attachment_urls")),
    path("instellingen/", include("klachten.organisation.urls")),
    path("dashboard/", include("klachten.reports.urls")),
    path("audit/bewijspakket/", include("klachten.ops.evidence_urls")),
    path("audit/", include("klachten.auditing.urls")),
    path("agenda/", include("klachten.reports.feed_urls")),
    path("mijn-gegevens/", include("klachten.accounts.urls")),
    path("wachtwoord/", include("klachten.accounts.password_urls")),
    path("gezondheid/", views.health, name="health"),
    path("inrichten/<str:token>/", views.setup, name="setup"),
    path("", include("klachten.public.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),  # any other path under /api/: JSON 404
    path("beheer/", admin.site.urls),
    # django-allauth (#15): the second factor, the organisation's login (OpenID Connect) and
    # asking for the password again. Its own login, sign-up, e-mail and password pages are
    # not used: the product has its own, and accounts are made by admins.
    path(
        "account/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="account_login",
    ),
    path("account/logout/", auth_views.LogoutView.as_view(), name="account_logout"),
    re_path(
        r"^account/(?!2fa/|reauthenticate/|inactive/|oidc/|3rdparty/login/(?:cancelled|error)/)",
        error_pages.page_not_found,
    ),
    path("account/", include("allauth.urls")),
]
