"""The AVG screens of a customer's file, under /meldingen/klantmap/ (Dutch URLs; UX.md)."""

from django.urls import path

from klachten.privacy import views

app_name = "privacy"

urlpatterns = [
    path(
        "klantmap/<int:customer_id>/export/", views.customer_export_download, name="customer-export"
    ),
    path("klantmap/<int:customer_id>/wissen/", views.customer_erase_confirm, name="customer-erase"),
]
