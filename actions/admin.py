from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from priorities.models import Priority
from sendplan.audit import delete_with_history, save_with_history

from . import rules
from .choices import Rag, Status
from .models import Action, Milestone, Owner, OwnerHolder, ProgressUpdate
from .selectors.history import action_status_timeline
from .services.actions import (
    ACTION_CONTENT_FIELDS,
    FIELDS_NEEDING_REASON,
    action_bulk_update,
    action_delete,
    action_prepare,
    action_refuse_archived,
    action_save,
)
from .services.ownership import action_set_owners, owner_merge, owner_save, owner_spelling_errors


class LabelledHistoryContext(HistoricalRecordContextHelper):
    """The history page's changes with choices as people read them: "In progress", not
    "in_progress"."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


class LabelledHistoryAdmin(SimpleHistoryAdmin):
    def get_historical_record_context_helper(self, request, historical_record):
        return LabelledHistoryContext(self.model, historical_record)


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue(rules.today())
        if self.value() == "no":
            return queryset.exclude(pk__in=Action.objects.overdue(rules.today()).values("pk"))
        return queryset


class ActionAdminForm(forms.ModelForm):
    owner_list = forms.ModelMultipleChoiceField(
        label="Owners",
        queryset=Owner.objects.select_related("area"),
        required=False,
        widget=FilteredSelectMultiple("owners", is_stacked=False),
    )
    change_reason = forms.CharField(
        label="Reason for this change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when the status, RAG rating or due date changes. Kept in the history.",
    )

    class Meta:
        model = Action
        fields = ["priority", "reference", *ACTION_CONTENT_FIELDS]
        help_texts = {
            "reference": "Its number in the plan, such as 2.3.",
            "order": "Where it comes among its priority's actions, first to last.",
            "deadline_text": "The deadline as the plan writes it, such as “December 2019” or "
            "“Bi monthly /ongoing”. Changing it sets the due date from it.",
            "due_date": "Set from the deadline as written; change it by hand only with a reason.",
            "is_ongoing": "Tick for recurring or ongoing work, which has no single due date.",
            "percent_complete": "A whole number from 0 to 100; a completed action is 100.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["owner_list"].initial = list(self.instance.owners.all())
        if "priority" in self.fields:
            priority = self.fields["priority"]
            priority.queryset = Priority.objects.select_related("strategy").order_by(
                "strategy__title", "order", "number"
            )
            priority.label_from_instance = priority_label

    def _post_clean(self):
        # The services' rules, applied here too so a missing reason is a form error, not a crash.
        super()._post_clean()
        if self.errors:
            return
        old = (
            Action.objects.select_related("priority__strategy").filter(pk=self.instance.pk).first()
            if self.instance.pk
            else None
        )
        reason = self.cleaned_data.get("change_reason", "")
        try:
            if old is not None:
                # Its owners, milestones and notes too: nothing of an archived plan changes.
                action_refuse_archived(old)
            action_prepare(old=old, action=self.instance, reason=reason)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field in FIELDS_NEEDING_REASON:
                    self.add_error("change_reason", messages)
                self.add_error(field if field in self.fields else None, messages)


def priority_label(priority: Priority) -> str:
    """ "Joint SEND Strategy 2022-25: 2. Sufficiency of places": the same priority number
    exists in every strategy."""
    title = priority.title if len(priority.title) <= 80 else f"{priority.title[:80]}…"
    return f"{priority.strategy.title}: {priority.number}. {title}"


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["order", "text", "due_date", "done"]


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    fields = ["created_at", "author", "note"]
    readonly_fields = ["created_at", "author"]
    # A progress update is a dated record of what someone said: add, never rewrite or delete.
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BulkUpdateForm(ActionForm):
    status = forms.ChoiceField(choices=[("", "---------"), *Status.choices], required=False)
    rag = forms.ChoiceField(label="RAG", choices=[("-", "---------"), *Rag.choices], required=False)
    note = forms.CharField(label="Reason", required=False)


@admin.register(Action)
class ActionAdmin(LabelledHistoryAdmin):
    form = ActionAdminForm
    action_form = BulkUpdateForm
    list_display = [
        "reference",
        "short_text",
        "status",
        "rag",
        "percent_complete",
        "due_date",
        "overdue",
        "owner_names",
    ]
    list_filter = [
        "priority__strategy",
        "priority",
        "status",
        "rag",
        OverdueFilter,
        ("owners", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["reference", "text", "owners__name", "owners__aliases"]
    list_select_related = ["priority__strategy"]
    readonly_fields = ["original_due_date", "slip", "status_timeline"]
    inlines = [MilestoneInline, ProgressUpdateInline]
    actions = ["set_status", "set_rag"]
    fieldsets = [
        (None, {"fields": ["priority", "reference", "order", "text", "owner_list"]}),
        (
            "Deadline",
            {"fields": ["deadline_text", "due_date", "original_due_date", "slip", "is_ongoing"]},
        ),
        ("Progress", {"fields": ["status", "rag", "percent_complete", "change_reason"]}),
        ("Status timeline", {"fields": ["status_timeline"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("owners")

    @admin.display(description="action")
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 90 else f"{obj.text[:90]}…"

    @admin.display(description="overdue")
    def overdue(self, obj):
        # Words, not the admin's tick: a green tick read as "all is well".
        return "Overdue" if obj.is_overdue else "Not overdue"

    @admin.display(description="owners")
    def owner_names(self, obj):
        return ", ".join(owner.name for owner in obj.owners.all())

    @admin.display(description="slip (days)")
    def slip(self, obj):
        return obj.slip_days

    @admin.display(description="status changes")
    def status_timeline(self, obj):
        if not obj.pk:
            return "-"
        return render_to_string(
            "admin/actions/status_timeline.html", {"timeline": action_status_timeline(obj)}
        )

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("change_reason", "")
        action_save(action=obj, user=request.user, reason=reason)
        action_set_owners(
            action=obj,
            owners=list(form.cleaned_data["owner_list"]),
            user=request.user,
            reason=reason,
        )

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data.get("change_reason", "")
        for update in formset.save(commit=False):
            if isinstance(update, ProgressUpdate) and update.author_id is None:
                update.author = request.user
            save_with_history(update, user=request.user, reason=reason)
        delete_with_history(*formset.deleted_objects, user=request.user, reason=reason)

    def delete_model(self, request, obj):
        action_delete(action=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for action in queryset:
            action_delete(action=action, user=request.user)

    @admin.action(description="Set status of selected actions", permissions=["change"])
    def set_status(self, request, queryset):
        self._bulk_set(request, queryset, "status", Status, "Choose a status to set.")

    @admin.action(description="Set RAG rating of selected actions", permissions=["change"])
    def set_rag(self, request, queryset):
        self._bulk_set(request, queryset, "rag", Rag, "Choose a RAG rating to set.")

    def _bulk_set(self, request, queryset, field: str, choices, missing: str):
        """Set one field of the selected actions to the value chosen beside the action menu."""
        # "" is a RAG rating (not rated), so the menus' "nothing chosen" is "-" or "".
        value = request.POST.get(field, "-")
        if value not in choices.values:
            self.message_user(request, missing, messages.ERROR)
            return
        note = request.POST.get("note", "").strip()
        try:
            count = action_bulk_update(
                actions=queryset, user=request.user, reason=note, **{field: value}
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(request, f"{count} action(s) changed; each change is in its history.")


class OwnerHolderInline(admin.TabularInline):
    model = OwnerHolder
    extra = 0
    autocomplete_fields = ["user"]


class OwnerAdminForm(forms.ModelForm):
    class Meta:
        model = Owner
        fields = ["area", "name", "organisation", "aliases"]

    def _post_clean(self):
        super()._post_clean()
        if self.instance.area_id:
            for field, message in owner_spelling_errors(self.instance).items():
                self.add_error(field, message)


class OwnerMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label="Merge into",
        queryset=Owner.objects.none(),
        help_text="The owner that stays. The others' actions, holders, name and aliases "
        "move to it, and they are deleted.",
        error_messages={"required": "Choose the owner to merge into."},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the history of every row the merge changes.",
        error_messages={"required": "Give a reason for merging these owners."},
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        areas = {owner.area_id for owner in sources}
        self.fields["target"].queryset = (
            Owner.objects.filter(area_id__in=areas)
            .exclude(pk__in=[owner.pk for owner in sources])
            .select_related("area")
        )


@admin.register(Owner)
class OwnerAdmin(LabelledHistoryAdmin):
    form = OwnerAdminForm
    list_display = ["name", "area", "organisation", "alias_summary"]
    list_filter = ["area", "organisation"]
    search_fields = ["name", "aliases"]
    inlines = [OwnerHolderInline]
    actions = ["merge_into"]

    @admin.action(description="Merge into…", permissions=["change", "delete"])
    def merge_into(self, request, queryset):
        """Ask for the owner to keep and a reason, then merge each selected owner into it."""
        sources = list(queryset.select_related("area"))
        if len({owner.area_id for owner in sources}) > 1:
            self.message_user(request, "Choose owners of one local area.", messages.ERROR)
            return None
        form = OwnerMergeForm(request.POST if "merge" in request.POST else None, sources=sources)
        if form.is_valid():
            target = form.cleaned_data["target"]
            try:
                with transaction.atomic():
                    for source in sources:
                        owner_merge(
                            source=source,
                            target=target,
                            user=request.user,
                            reason=form.cleaned_data["reason"],
                        )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return None
            names = ", ".join(owner.name for owner in sources)
            self.message_user(request, f"Merged {names} into {target.name}.")
            return None
        return TemplateResponse(
            request,
            "admin/actions/owner_merge.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Merge owners",
                "sources": sources,
                "form": form,
                "action_name": "merge_into",
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            },
        )

    @admin.display(description="aliases")
    def alias_summary(self, obj):
        return ", ".join(obj.alias_list)

    def save_model(self, request, obj, form, change):
        owner_save(owner=obj, user=request.user)
