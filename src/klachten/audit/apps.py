from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit log: who read or changed what, when, before and after (R2)."""

    name = "klachten.audit"
    verbose_name = _("Logboek")
