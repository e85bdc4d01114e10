"""The message screens (Dutch URLs; UX.md). Included at the root, before the complaint screens:
``/meldingen/<kenmerk>/uitstelbericht/`` — the delay-notice step (R16) — is a message and is
served here."""

from django.urls import path

from klachten.messaging import intake_views, views

app_name = "messaging"

urlpatterns = [
    path("meldingen/nieuw/", intake_views.complaint_new, name="complaint-new"),
    path("tekstcontrole/", views.wording_check, name="wording-check"),
    path(
        "meldingen/<str:reference>/uitstelbericht/",
        views.message_compose,
        {"slug": "uitstelbericht"},
        name="delay-notice",
    ),
    path(
        "meldingen/<str:reference>/van-de-klant/<int:message_id>/origineel.eml",
        views.incoming_original,
        name="incoming-original",
    ),
    path(
        "meldingen/<str:reference>/berichten/<int:message_id>/",
        views.message_detail,
        name="message",
    ),
    path(
        "meldingen/<str:reference>/berichten/<int:message_id>/brief.pdf",
        views.message_letter,
        name="letter",
    ),
    path(
        "meldingen/<str:reference>/berichten/<int:message_id>/op-de-post/",
        views.message_posted,
        name="posted",
    ),
    path(
        "meldingen/<str:reference>/berichten/<slug:slug>/",
        views.message_compose,
        name="compose",
    ),
    path("berichtsjablonen/", views.template_list, name="templates"),
    path("berichtsjablonen/<slug:slug>/", views.template_edit, name="template"),
    path("berichtsjablonen/<slug:slug>/standaard/", views.template_reset, name="template-reset"),
]
