from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "klachten.messaging"
    verbose_name = _("Berichten")

    def ready(self) -> None:
        from klachten.messaging import receivers  # noqa: F401 - connects the receivers
