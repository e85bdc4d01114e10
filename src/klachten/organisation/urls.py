"""*Instellingen* (UX.md, "Management"), mounted at ``/instellingen/``: an index and a page per
section (``sections.SECTIONS``); the lists' rows post to endpoints of their own."""

from django.urls import path

from klachten.organisation import views

app_name = "organisation"

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("organisatie/", views.organisation_page, name="details"),
    path("termijnen/", views.terms_page, name="terms"),
    path("sluitingsdagen/", views.closing_days_add, name="closing-days-add"),
    path(
        "sluitingsdagen/<int:closing_day_id>/verwijderen/",
        views.closing_day_remove,
        name="closing-day-remove",
    ),
    path("herinneringen/", views.reminders_page, name="reminders"),
    path("indeling/", views.lists_page, name="lists"),
    path("categorieen/", views.category_add, name="category-add"),
    path("categorieen/<int:item_id>/", views.category_update, name="category-update"),
    path("oorzaken/", views.root_cause_add, name="root-cause-add"),
    path("oorzaken/<int:item_id>/", views.root_cause_update, name="root-cause-update"),
    path("cursussen/", views.courses_page, name="courses"),
    path("cursussen/nieuw/", views.course_add, name="course-add"),
    path("cursussen/<int:item_id>/", views.course_update, name="course-update"),
    path("trainers/", views.trainer_add, name="trainer-add"),
    path("trainers/rapportages/", views.trainer_reports, name="trainer-reports"),
    path("trainers/<int:item_id>/", views.trainer_update, name="trainer-update"),
    path("medewerkers/", views.accounts_page, name="accounts"),
]
