from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "klachten.complaints"
    verbose_name = _("Meldingen")

    def ready(self) -> None:
        from klachten.complaints import receivers  # noqa: F401 - connects the receivers
