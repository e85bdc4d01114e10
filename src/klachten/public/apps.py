from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """What a customer sees without an account: the form, the status page, the regulation."""

    name = "klachten.public"
    verbose_name = _("Publieke pagina's")
