"""The Django admin for staff accounts; only admins reach it at all (R2, core.admin_site)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import ApiToken, Staff


@admin.register(Staff)
class StaffAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "role", "language", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Kerngroep"), {"fields": ("role", "job_title", "phone", "language")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "staff", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "staff", "created_at", "last_used_at")
    fields = ("prefix", "staff", "created_at", "last_used_at", "revoked_at")

    def has_add_permission(self, request):
        """Tokens are issued by ``klachten token create``, which shows the token once."""
        return False
