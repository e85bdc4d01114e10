"""*Instellingen* (UX.md, "Management"), mounted at ``/instellingen/``."""

from django.urls import path

from klachten.organisation import views

app_name = "organisation"

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("organisatie/", views.details_save, name="details"),
    path("derde/", views.third_party_save, name="third-party"),
    path("termijnen/", views.terms_save, name="terms"),
    path("herinneringen/", views.reminders_save, name="reminders"),
    path("kalender/", views.calendar_save, name="calendar"),
    path("sluitingsdagen/", views.closing_days_add, name="closing-days-add"),
    path(
        "sluitingsdagen/<int:closing_day_id>/verwijderen/",
        views.closing_day_remove,
        name="closing-day-remove",
    ),
    path("categorieen/", views.category_add, name="category-add"),
    path("categorieen/<int:item_id>/", views.category_update, name="category-update"),
    path("oorzaken/", views.root_cause_add, name="root-cause-add"),
    path("oorzaken/<int:item_id>/", views.root_cause_update, name="root-cause-update"),
]
