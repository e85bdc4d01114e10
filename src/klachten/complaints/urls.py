"""The complaint screens, under /meldingen/ (Dutch URLs; UX.md)."""

from django.urls import path

from klachten.complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("klanten/zoeken/", views.customer_search, name="customer-search"),
    path("klantmap/<int:customer_id>/", views.customer_file, name="customer-file"),
    path("klantmap/<int:customer_id>/wijzigen/", views.customer_file_edit, name="customer-edit"),
    path("datumcontrole/", views.date_check, name="date-check"),
    path("<str:reference>/", views.complaint_detail, name="detail"),
    path("<str:reference>/indeling/", views.complaint_assign, name="assign"),
    path("<str:reference>/training/", views.complaint_training, name="training"),
    path("<str:reference>/oppakken/", views.complaint_take_up, name="take-up"),
    path("<str:reference>/nacontrole-vragen/", views.follow_up_request, name="follow-up-request"),
    path("<str:reference>/statuslink/", views.status_link_renew, name="status-link"),
    path("<str:reference>/naw-gecontroleerd/", views.naw_check, name="naw-check"),
    path("<str:reference>/acties/<int:action_id>/gedaan/", views.action_done, name="action-done"),
    path("<str:reference>/klantmap/", views.customer_relink, name="customer-relink"),
    path("<str:reference>/notities/", views.note_add, name="note-add"),
    path("<str:reference>/verklaring-vragen/", views.account_ask, name="account-ask"),
    path("<str:reference>/<slug:slug>/", views.complaint_step, name="step"),
]
