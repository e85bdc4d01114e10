"""The auditor's view, mounted at ``/audit/`` (#16 item 4)."""

from django.urls import path

from klachten.auditing import views

app_name = "auditing"

urlpatterns = [
    path("", views.index, name="index"),
    path("steekproef/trekken/", views.draw, name="draw"),
    path("steekproef/toevoegen/", views.add, name="add"),
    path("steekproef/<int:complaint_id>/verwijderen/", views.remove, name="remove"),
    path("dossier/<str:reference>/", views.dossier, name="dossier"),
]
