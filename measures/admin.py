from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.db import transaction
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from actions.models import Action
from priorities.models import Priority
from sendplan.roles import can_manage_measures

from . import services
from .admin_import import import_values_view
from .models import AreaComparators, Measure, MeasureValue


class MeasureAdminForm(forms.ModelForm):
    priority_list = forms.ModelMultipleChoiceField(
        label="Priorities it evidences",
        queryset=Priority.objects.select_related("strategy"),
        required=False,
        widget=FilteredSelectMultiple("priorities", is_stacked=False),
    )
    action_list = forms.ModelMultipleChoiceField(
        label="Actions it evidences",
        queryset=Action.objects.select_related("priority__strategy"),
        required=False,
        widget=FilteredSelectMultiple("actions", is_stacked=False),
    )
    change_reason = forms.CharField(
        label="Reason for this change", required=False, help_text="Kept in the history."
    )

    class Meta:
        model = Measure
        fields = [
            "strategy",
            "name",
            "definition",
            "source",
            "unit",
            "better",
            "frequency",
            "owner",
            "baseline_value",
            "baseline_period_end",
            "baseline_period_label",
            "is_illustrative",
            "order",
            "source_column",
            "source_filters",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["priority_list"].initial = list(self.instance.priorities.all())
            self.fields["action_list"].initial = list(self.instance.actions.all())

    def clean(self):
        data = super().clean()
        strategy = data.get("strategy")
        for field in ("priority_list", "action_list"):
            for item in data.get(field, []):
                plan = getattr(item, "priority", item).strategy_id
                if strategy and plan != strategy.pk:
                    self.add_error(field, f"{item} is not in this measure's plan.")
        return data


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    form = MeasureAdminForm
    list_display = ["name", "strategy", "unit", "better", "frequency", "owner"]
    list_filter = ["strategy__area", "strategy", "frequency"]
    search_fields = ["name", "definition", "source"]
    list_select_related = ["strategy__area", "owner"]
    change_list_template = "admin/measures/measure/change_list.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "import-values/",
                wrap(lambda request: import_values_view(self, request)),
                name="measures_measure_import_values",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        # The list's own context holds no change permission for the template to test.
        extra_context = {**(extra_context or {}), "can_import_values": self._can_import(request)}
        return super().changelist_view(request, extra_context)

    def _can_import(self, request) -> bool:
        return self.has_change_permission(request) and can_manage_measures(request.user)

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("change_reason", "")
        services.measure_save(measure=obj, user=request.user, reason=reason)
        services.measure_set_links(
            measure=obj,
            priorities=list(form.cleaned_data["priority_list"]),
            actions=list(form.cleaned_data["action_list"]),
            user=request.user,
            reason=reason,
        )


@admin.register(MeasureValue)
class MeasureValueAdmin(SimpleHistoryAdmin):
    """Values are read and deleted here; they are entered on the measure's page or imported,
    where a correction must say why."""

    list_display = ["measure", "series", "comparator", "period_label", "value", "is_provisional"]
    list_filter = ["measure__strategy", "series", "is_provisional"]
    search_fields = ["measure__name", "comparator", "period_label"]
    list_select_related = ["measure"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.value_delete(value=obj, user=request.user, reason="Deleted in the admin")

    def delete_queryset(self, request, queryset):
        for value in queryset:
            self.delete_model(request, value)


@admin.register(AreaComparators)
class AreaComparatorsAdmin(SimpleHistoryAdmin):
    list_display = ["area", "region"]

    def save_model(self, request, obj, form, change):
        services.comparators_save(comparators=obj, user=request.user)
