from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.text import slugify
from simple_history.admin import SimpleHistoryAdmin

from actions.models import Action
from actions.resources import PLAN_FORMATS, export_plan

from .admin_import import import_plan_view
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
    change_list_template = "admin/priorities/strategy/change_list.html"
    change_form_template = "admin/priorities/strategy/change_form.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "import-plan/",
                wrap(lambda request: import_plan_view(self, request)),
                name="priorities_strategy_import_plan",
            ),
            path(
                "<int:strategy_id>/export/<str:file_format>/",
                wrap(self.export_view),
                name="priorities_strategy_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request, strategy_id, file_format):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if file_format not in PLAN_FORMATS:
            raise Http404("No such export format.")
        strategy = get_object_or_404(Strategy.objects.select_related("area"), pk=strategy_id)
        data = export_plan(Action.objects.filter(priority__strategy=strategy), file_format)
        name = slugify(f"{strategy.area.name} {strategy.title}")
        response = HttpResponse(data, content_type=PLAN_FORMATS[file_format]().get_content_type())
        response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
        return response

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
