"""The Django admin for staff accounts; only admins reach it at all (R2, core.admin_site)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from klachten.accounts.models import ApiToken, SecurityEvent, Staff
from klachten.accounts.services import login_unlock, staff_role_changed, staff_role_label


@admin.register(Staff)
class StaffAdmin(UserAdmin):
    list_display = (
        "username",
        "first_name",
        "last_name",
        "email",
        "role",
        "also_management",
        "language",
        "is_active",
    )
    list_filter = ("role", "also_management", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            _("Kerngroep"),
            {"fields": ("role", "also_management", "job_title", "phone", "language")},
        ),
    )
    actions = ("unlock",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """A change of role is logged (#15): it changes who sees which complaints (R2)."""
        before = (
            staff_role_label(
                form.initial.get("role", ""), form.initial.get("also_management", False)
            )
            if change
            else ""
        )
        super().save_model(request, obj, form, change)
        if change and {"role", "also_management"} & set(form.changed_data):
            staff_role_changed(
                staff=obj, before=before, actor=cast(Staff, request.user), now=timezone.now()
            )

    @admin.action(description=_("Vrijgeven na te veel mislukte inlogpogingen"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[Staff]) -> None:
        """Lift the lockout of the chosen accounts (#15, item 3); logged per account."""
        now = timezone.now()
        for staff in queryset:
            login_unlock(username=staff.username, actor=cast(Staff, request.user), now=now)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d account vrijgegeven: het kan meteen weer inloggen.",
                "%(count)d accounts vrijgegeven: ze kunnen meteen weer inloggen.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "staff", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "staff", "created_at", "last_used_at")
    fields = ("prefix", "staff", "created_at", "last_used_at", "revoked_at")

    def has_add_permission(self, request):
        """Tokens are issued by ``klachten token create``, which shows the token once."""
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The security log, to read only: nothing in the application changes an entry."""

    list_display = ("at", "action", "username", "address", "actor")
    list_filter = ("action",)
    search_fields = ("username", "address")
    date_hierarchy = "at"
    readonly_fields = ("at", "action", "username", "address", "actor", "detail")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
