from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    """E-mail: the transactional outbox, its delivery by the worker, the business card."""

    name = "klachten.mail"
    verbose_name = _("E-mail")
