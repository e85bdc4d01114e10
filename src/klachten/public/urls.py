"""The public pages, without login (CONTRACT.md, "Public pages")."""

from django.urls import URLPattern, URLResolver, path

from klachten.public import regulation_views

app_name = "public"

urlpatterns: list[URLPattern | URLResolver] = [
    path("regeling/", regulation_views.regulation, name="regulation"),
    path("regeling.pdf", regulation_views.regulation_pdf, name="regulation-pdf"),
]
