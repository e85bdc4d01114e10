from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """What a customer sees without an account: the form, the status page, the regulation."""

    name = "klachten.public"
    verbose_name = _("Publieke pagina's")

    def ready(self) -> None:
        from klachten.public import receivers

        post_migrate.connect(
            receivers.regulation_version_after_migrate,
            sender=self,
            dispatch_uid="public.regulation_version_after_migrate",
        )
