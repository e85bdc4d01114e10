from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor every app builds on: coded errors, time parsing, the wording guard as
    services call it, PDF, widgets, the queue, template tags. No models; imports no app."""

    name = "klachten.core"
    label = "klachten_core"
    verbose_name = _("Kern")
