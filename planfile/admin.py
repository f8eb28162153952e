"""The plan file in the admin: import and export buttons on strategies, export on actions.

The priorities and actions apps register their admins without the plan file (they may not
import it); this app replaces those registrations with subclasses that add it, keeping the
URL names the admin had ("admin:priorities_strategy_import_plan" and so on).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils.text import slugify
from import_export.admin import ExportMixin

from actions.admin import ActionAdmin
from actions.models import Action
from priorities.admin import StrategyAdmin
from priorities.models import Strategy

from .admin_import import import_plan_view
from .exporter import PLAN_FORMATS, PlanCSV, PlanJSON, PlanResource, PlanXLSX, export_plan
from .views import attachment

admin.site.unregister(Strategy)
admin.site.unregister(Action)


@admin.register(Strategy)
class StrategyWithPlanFileAdmin(StrategyAdmin):
    change_list_template = "admin/planfile/strategy/change_list.html"
    change_form_template = "admin/planfile/strategy/change_form.html"

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
        strategy = self.get_object(request, str(strategy_id))
        return attachment(
            export_plan(Action.objects.filter(priority__strategy=strategy), file_format),
            content_type=PLAN_FORMATS[file_format]().get_content_type(),
            filename=f"{slugify(f'{strategy.area.name} {strategy.title}')}.{file_format}",
        )


@admin.register(Action)
class ActionWithPlanFileAdmin(ExportMixin, ActionAdmin):
    # Export takes the list's filters and search, in the layout the importer reads.
    resource_classes = [PlanResource]
    export_formats = [PlanXLSX, PlanCSV, PlanJSON]
