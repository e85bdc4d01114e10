"""A URLconf in which ``home`` lives elsewhere (``test_fasttags``)."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("elders/", lambda request: HttpResponse(), name="home")]
