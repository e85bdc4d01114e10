"""The public pages, without login (CONTRACT.md, "Public pages")."""

from django.urls import URLPattern, URLResolver, path

from klachten.public import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("melding/", views.report_form, name="public-report"),
    path("melding/verstuurd/", views.report_sent, name="public-report-sent"),
    path("status/<str:token>/", views.status, name="public-status"),
]
