"""The public pages, without login (CONTRACT.md, "Public pages")."""

from django.urls import URLPattern, URLResolver, path

from klachten.public import regulation_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("regeling/", regulation_views.regulation, name="public-regulation"),
    path("regeling.pdf", regulation_views.regulation_pdf, name="public-regulation-pdf"),
    path(
        "regeling/versies/",
        regulation_views.regulation_versions_page,
        name="public-regulation-versions",
    ),
    path(
        "regeling/versies/<int:number>/",
        regulation_views.regulation_version,
        name="public-regulation-version",
    ),
    path(
        "regeling/versies/<int:number>.pdf",
        regulation_views.regulation_version_pdf,
        name="public-regulation-version-pdf",
    ),
    path("melding/", views.report_form, name="public-report"),
    path("melding/verstuurd/", views.report_sent, name="public-report-sent"),
    path("status/", views.status_code, name="public-status-code"),
    path("status/<str:token>/", views.status, name="public-status"),
    path("status/<str:token>/bericht/", views.status_message, name="public-status-message"),
    path("status/<str:token>/visitekaartje.vcf", views.status_vcard, name="public-status-vcard"),
]
