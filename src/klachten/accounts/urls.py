"""*Mijn gegevens*, mounted at ``/mijn-gegevens/``."""

from django.urls import path

from klachten.accounts import views

app_name = "accounts"

urlpatterns = [path("", views.my_details, name="my-details")]
