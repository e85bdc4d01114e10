from django.contrib import admin

from klachten.organisation.models import CalendarSettings, ClosingDay


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
