"""Calendar feeds, under /agenda/: the settings page and the private feed address."""

from django.urls import path

from klachten.reports import views

app_name = "feeds"

urlpatterns = [
    path("", views.feed_settings, name="settings"),
    path("<str:token>.ics", views.feed, name="feed"),
]
