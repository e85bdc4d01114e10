from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the installation: serve, the worker, health, set-up, backup and restore, demo.

    Its label stays ``core`` (what this app was called before the layers were drawn), so its
    tables, migrations and the backups made before keep their names (docs/decisions.md).
    """

    name = "klachten.ops"
    label = "core"
    verbose_name = _("Beheer")
