from django.contrib import admin

from .models import SentReminder


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """What was sent, to whom and why: read-only, it is the record the runs rely on."""

    list_display = ["claimed_at", "sent_at", "recipient", "email", "reason", "action", "round"]
    list_filter = ["reason", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient__username", "email", "action__reference", "action__text"]
    list_select_related = ["recipient", "action", "round__meeting__board"]
    date_hierarchy = "claimed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
