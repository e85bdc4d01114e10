from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The customer's file as the AVG sees it: the retention term (R5), export and erasure."""

    name = "klachten.privacy"
    verbose_name = _("Privacy")
