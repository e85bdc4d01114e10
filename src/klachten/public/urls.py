"""The public pages, without login (CONTRACT.md, "Public pages")."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
