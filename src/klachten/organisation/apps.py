from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "klachten.organisation"
    verbose_name = _("Organisatie")
