"""Admin pages for the editable lists only.

Complaints, customer files and the audit log are deliberately not in the Django admin: it
must never become a way to read complaint texts around the application's R2 checks.
"""

from django.contrib import admin

from klachten.complaints.models import Category, RootCause


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "active")
    list_filter = ("active",)


@admin.register(RootCause)
class RootCauseAdmin(admin.ModelAdmin):
    list_display = ("name", "active")
    list_filter = ("active",)
