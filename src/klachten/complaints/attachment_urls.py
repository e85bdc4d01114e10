"""URLs of a complaint's attachments; included under ``bijlagen/`` by the project's URLs.

There is deliberately no URL for ``MEDIA_ROOT``: files leave only through the download view.
"""

from django.urls import path

from klachten.complaints import attachment_views

app_name = "attachments"

urlpatterns = [
    path("<str:reference>/toevoegen/", attachment_views.attachment_upload, name="upload"),
    path("<str:reference>/<int:pk>/", attachment_views.attachment_download, name="download"),
]
