"""Management insight, under /dashboard/ (Dutch URLs; UX.md)."""

from django.urls import path

from klachten.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("naleving/<slug:slug>/", views.compliance_failures, name="failures"),
    path("per-<slug:segment>/<slug:key>/", views.dimension_complaints, name="dimension-complaints"),
    path("jaarverslag/", views.annual_report, name="annual-report"),
    path("maatregelen/", views.measures, name="measures"),
    path("maatregelen/nieuw/", views.measure_form, name="measure-new"),
    path("maatregelen/<int:measure_id>/", views.measure_form, name="measure-edit"),
    path("maatregelen/<int:measure_id>/effect/", views.measure_check, name="measure-check"),
    path("register/", views.register, name="register"),
]
