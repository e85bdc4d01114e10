from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "klachten.accounts"
    verbose_name = _("Medewerkers")

    def ready(self) -> None:
        # Django's signals first, then axes' own (see klachten.accounts.signals).
        from klachten.accounts import signals

        # isort: split
        from axes.signals import user_locked_out

        user_locked_out.connect(signals.locked_out, dispatch_uid="klachten.accounts.locked_out")
        signals.connect_mfa_signals()
