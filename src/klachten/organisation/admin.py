from django.contrib import admin

from klachten.organisation.models import (
    CalendarSettings,
    Category,
    ClosingDay,
    Course,
    RootCause,
    Trainer,
)


@admin.register(CalendarSettings)
class CalendarSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        """One row only (pk=1)."""
        return not CalendarSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClosingDay)
class ClosingDayAdmin(admin.ModelAdmin):
    list_display = ("day", "description")
    date_hierarchy = "day"


# The editable lists. Complaints, customer files and the audit log are deliberately not in the
# Django admin: it must never become a way to read complaint texts around R2.


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "active")
    list_filter = ("active",)


@admin.register(RootCause)
class RootCauseAdmin(admin.ModelAdmin):
    list_display = ("name", "active")
    list_filter = ("active",)


@admin.register(Trainer)
class TrainerAdmin(admin.ModelAdmin):
    list_display = ("name", "active")
    list_filter = ("active",)


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("name", "active")
    list_filter = ("active",)
    filter_horizontal = ("trainers",)
