"""The evidence pack's download (#16 item 6), meant to be mounted at ``/audit/bewijspakket/``."""

from django.urls import path

from klachten.ops import evidence_views

urlpatterns = [
    path("", evidence_views.evidence, name="evidence-pack"),
]
