from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from .models import LocalArea, Priority, Strategy


@admin.register(LocalArea)
class LocalAreaAdmin(SimpleHistoryAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "area", "period", "stage", "priority_count"]
    list_filter = ["area", "stage"]
    search_fields = ["title", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(priority_total=Count("priorities"))

    @admin.display(description="priorities", ordering="priority_total")
    def priority_count(self, obj):
        return obj.priority_total


@admin.register(Priority)
class PriorityAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "strategy", "action_count"]
    list_display_links = ["number", "title"]
    list_filter = ["strategy__area", "strategy"]
    search_fields = ["title", "description"]
    list_select_related = ["strategy__area"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(action_total=Count("actions"))

    @admin.display(description="actions", ordering="action_total")
    def action_count(self, obj):
        return obj.action_total
