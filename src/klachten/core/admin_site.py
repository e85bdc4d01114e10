"""The Django admin site: technical upkeep by admins, never a way around R2."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class KlachtenAdminSite(admin.AdminSite):
    site_header = _("Kerngroep Klachten — beheer")
    site_title = _("Kerngroep Klachten")
    index_title = _("Beheer")

    def has_permission(self, request: HttpRequest) -> bool:
        """Only active admins; employees and management use the application itself (R2)."""
        user = request.user
        return bool(user.is_active and getattr(user, "role", None) == "admin")


class KlachtenAdminConfig(AdminConfig):
    """Installs :class:`KlachtenAdminSite` as the default admin site."""

    default_site = "klachten.core.admin_site.KlachtenAdminSite"
