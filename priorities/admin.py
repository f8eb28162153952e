from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from .models import LocalArea, Priority, Strategy
from .services import (
    REASON,
    REASON_FOR_DELETING,
    priority_check,
    priority_delete,
    priority_save,
    strategy_check,
    strategy_delete,
    strategy_save,
)


@admin.register(LocalArea)
class LocalAreaAdmin(SimpleHistoryAdmin):
    list_display = ["name"]
    search_fields = ["name"]


class ReasonedForm(forms.ModelForm):
    """A plan's or priority's form with the reason its history keeps, and the services'
    rules applied as the form is checked, so a refusal is a form error, not a crash."""

    change_reason = forms.CharField(
        label="Reason for this change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when changing what is saved already. Kept in the history.",
    )
    # What the rules read of the stored record beside it (a priority's plan).
    stored_with: tuple[str, ...] = ()

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        model = type(self.instance)
        old = None
        if self.instance.pk:
            old = model.objects.select_related(*self.stored_with).get(pk=self.instance.pk)
        try:
            self.check(old=old, reason=self.cleaned_data.get("change_reason", ""))
        except ValidationError as error:
            for key, found in error.message_dict.items():
                field = "change_reason" if key == REASON else key
                self.add_error(None if field == NON_FIELD_ERRORS else field, found)


class StrategyAdminForm(ReasonedForm):
    class Meta:
        model = Strategy
        fields = ["area", "title", "start_year", "end_year", "stage", "description"]

    def check(self, *, old, reason: str) -> None:
        strategy_check(old=old, strategy=self.instance, reason=reason)


class PriorityAdminForm(ReasonedForm):
    stored_with = ("strategy",)

    class Meta:
        model = Priority
        fields = ["strategy", "number", "title", "description", "order"]

    def check(self, *, old, reason: str) -> None:
        priority_check(old=old, priority=self.instance, reason=reason)


class ThroughServicesAdmin(SimpleHistoryAdmin):
    """Saves and deletes through the services, each with the reason the user gave.

    A deletion is confirmed one record at a time, on a page that asks why: the changelist's
    "delete selected" asks no reason, so it is not offered.
    """

    delete_confirmation_template = "admin/priorities/delete_with_reason.html"

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "POST" and not request.POST.get("reason", "").strip():
            self.message_user(request, REASON_FOR_DELETING, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as refusal:
            # Refused by the service, its transaction rolled back: the page says why.
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(Strategy)
class StrategyAdmin(ThroughServicesAdmin):
    form = StrategyAdminForm
    list_display = ["title", "area", "period", "stage", "priority_count"]
    list_filter = ["area", "stage"]
    search_fields = ["title", "description"]

    def save_model(self, request, obj, form, change):
        strategy_save(strategy=obj, user=request.user, reason=form.cleaned_data["change_reason"])

    def delete_model(self, request, obj):
        strategy_delete(strategy=obj, user=request.user, reason=request.POST.get("reason", ""))

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(priority_total=Count("priorities"))

    @admin.display(description="priorities", ordering="priority_total")
    def priority_count(self, obj):
        return obj.priority_total


@admin.register(Priority)
class PriorityAdmin(ThroughServicesAdmin):
    form = PriorityAdminForm
    list_display = ["number", "title", "strategy", "action_count"]
    list_display_links = ["number", "title"]
    list_filter = ["strategy__area", "strategy"]
    search_fields = ["title", "description"]
    list_select_related = ["strategy__area"]

    def save_model(self, request, obj, form, change):
        priority_save(priority=obj, user=request.user, reason=form.cleaned_data["change_reason"])

    def delete_model(self, request, obj):
        priority_delete(priority=obj, user=request.user, reason=request.POST.get("reason", ""))

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(action_total=Count("actions"))

    @admin.display(description="actions", ordering="action_total")
    def action_count(self, obj):
        return obj.action_total
