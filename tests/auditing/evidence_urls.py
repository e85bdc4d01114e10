"""The project's URLs with the evidence pack mounted at ``/audit/bewijspakket/`` (#16 item 6),
as ``klachten.config.urls`` is to mount it."""

from django.urls import include, path

from klachten.config.urls import urlpatterns as project

urlpatterns = [
    path("audit/bewijspakket/", include("klachten.ops.evidence_urls")),
    *project,
]
