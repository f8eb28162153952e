from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from sendplan.audit import delete_with_history, save_with_history

from . import services
from .choices import EngagementGroup, PapersRoute
from .models import (
    ENGAGEMENT_PUBLIC_FIELDS,
    Board,
    BoardMembership,
    Decision,
    Engagement,
    Meeting,
    Papers,
    Review,
)
from .selectors import DECISION_TEXT_FIELDS


def _save_formset_with_history(request, formset, **defaults) -> None:
    """Save an inline's rows through save_with_history, so each carries the admin's name."""
    for obj in formset.save(commit=False):
        for field, value in defaults.items():
            if getattr(obj, f"{field}_id") is None:
                setattr(obj, field, value)
        save_with_history(obj, user=request.user)
    for obj in formset.deleted_objects:
        delete_with_history(obj, user=request.user)
    formset.save_m2m()


class BoardMembershipInline(admin.TabularInline):
    model = BoardMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Board)
class BoardAdmin(SimpleHistoryAdmin):
    list_display = ["name", "area", "kind"]
    list_filter = ["area", "kind"]
    search_fields = ["name"]
    inlines = [BoardMembershipInline]

    def save_formset(self, request, form, formset, change):
        _save_formset_with_history(request, formset)


class ReviewInline(admin.StackedInline):
    model = Review
    extra = 0
    fields = [
        "priority",
        "action",
        "rag",
        "comment",
        "recommendation",
        "follow_up_references",
        "recorded_by",
        "recorded_at",
    ]
    readonly_fields = ["follow_up_references", "recorded_by", "recorded_at"]
    autocomplete_fields = ["action"]

    @admin.display(description="follow-up actions")
    def follow_up_references(self, obj):
        # Created with the review on the meeting's page, where the board asks for them.
        return ", ".join(action.reference for action in obj.follow_ups.all()) or "-"


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["date", "title", "board", "strategy"]
    list_filter = ["board__area", "board", "strategy"]
    list_select_related = ["board", "strategy"]
    search_fields = ["title", "agenda", "minutes"]
    date_hierarchy = "date"
    inlines = [ReviewInline]
    actions = ["publish_papers"]

    def save_model(self, request, obj, form, change):
        services.meeting_save(meeting=obj, user=request.user)

    def delete_model(self, request, obj):
        services.meeting_delete(meeting=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for meeting in queryset:
            services.meeting_delete(meeting=meeting, user=request.user)

    def save_formset(self, request, form, formset, change):
        # A review added here refers to the papers current now, as on the meeting's page.
        papers = services.papers_latest(form.instance.pk)
        for review_form in formset.forms:
            if review_form.instance.pk is None:
                review_form.instance.papers = papers
        _save_formset_with_history(request, formset, recorded_by=request.user)

    @admin.action(description="Publish the papers of the chosen meetings", permissions=["change"])
    def publish_papers(self, request, queryset):
        for meeting in queryset.select_related("board__area", "strategy"):
            try:
                papers = services.papers_publish(
                    meeting=meeting, user=request.user, route=PapersRoute.ADMIN
                )
            except (ValidationError, PermissionDenied) as error:
                message = error.messages if isinstance(error, ValidationError) else [str(error)]
                self.message_user(request, f"{meeting}: {' '.join(message)}", messages.ERROR)
            else:
                self.message_user(
                    request, f"{meeting}: papers published, version {papers.version}."
                )


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "subject_reference", "rag", "recorded_by", "recorded_at"]
    list_filter = ["meeting__board", "rag"]
    list_select_related = ["meeting__board", "priority", "action", "recorded_by"]
    search_fields = ["comment", "recommendation", "action__reference", "action__text"]
    readonly_fields = ["recorded_by", "recorded_at", "follow_ups"]
    autocomplete_fields = ["action"]
    fields = ["meeting", "priority", "action", "rag", "comment", "recommendation"]

    def get_fields(self, request, obj=None):
        return [*self.fields, *self.readonly_fields] if obj else self.fields

    def save_model(self, request, obj, form, change):
        if obj.recorded_by_id is None:
            obj.recorded_by = request.user
        if obj.pk is None:
            obj.papers = services.papers_latest(obj.meeting_id)
        save_with_history(obj, user=request.user)

    def delete_model(self, request, obj):
        delete_with_history(obj, user=request.user)


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "date", "decision_maker", "status", "is_key_decision"]
    list_filter = ["area", "status", "is_key_decision", "delegated_by"]
    list_select_related = ["area"]
    search_fields = DECISION_TEXT_FIELDS
    date_hierarchy = "date"
    autocomplete_fields = ["actions"]
    fieldsets = [
        (None, {"fields": ["area", "number", "title", "date", "status", "lead_officer"]}),
        ("Who decided", {"fields": ["decision_maker", "delegated_by", "delegation"]}),
        (
            "The decision",
            {
                "fields": [
                    "decision",
                    "reasons",
                    "options_rejected",
                    "conflicts_of_interest",
                    "is_key_decision",
                    "key_decision_reason",
                ]
            },
        ),
        ("Links", {"fields": ["strategy", "meeting", "actions"]}),
    ]

    def save_model(self, request, obj, form, change):
        # The linked actions are saved by the form after this, and their change is recorded
        # on the decision's history by the middleware's user.
        services.decision_save(decision=obj, user=request.user)

    def delete_model(self, request, obj):
        delete_with_history(obj, user=request.user)


@admin.register(Papers)
class PapersAdmin(admin.ModelAdmin):
    """Published papers are read here, never changed or deleted: they are published from a
    meeting (its page, or the meetings' action "Publish the papers")."""

    list_display = ["meeting", "version", "published_at", "published_by_words", "route"]
    list_filter = ["meeting__board__area", "meeting__board", "route"]
    list_select_related = ["meeting__board__area"]
    date_hierarchy = "published_at"
    fields = [
        "meeting",
        "version",
        "as_at",
        "published_at",
        "published_by",
        "published_by_name",
        "route",
        "papers_page",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).listed()

    @admin.display(description="the papers as published")
    def papers_page(self, obj):
        return format_html('<a href="{}">Read version {}</a>', obj.get_absolute_url(), obj.version)

    @admin.display(description="published by")
    def published_by_words(self, obj):
        return obj.published_by_name or "-"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Engagement with families (issue 14) ---
class EngagementAdminForm(forms.ModelForm):
    groups = forms.MultipleChoiceField(
        label="Who took part", choices=EngagementGroup.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Engagement
        fields = ["strategy", *ENGAGEMENT_PUBLIC_FIELDS, "internal_notes", "priorities", "actions"]


@admin.register(Engagement)
class EngagementAdmin(SimpleHistoryAdmin):
    form = EngagementAdminForm
    list_display = ["title", "date", "strategy", "method", "level", "is_published"]
    list_filter = ["strategy", "method", "level", "is_published"]
    list_select_related = ["strategy__area"]
    search_fields = ["title", "participants", "you_said", "we_did", "internal_notes"]
    date_hierarchy = "date"
    autocomplete_fields = ["actions"]
    filter_horizontal = ["priorities"]
    readonly_fields = ["recorded_by", "recorded_at", "is_published", "published_by", "published_at"]
    actions = ["approve_for_public_page", "take_off_public_page"]

    def save_model(self, request, obj, form, change):
        services.engagement_save(
            engagement=obj,
            user=request.user,
            priorities=list(form.cleaned_data["priorities"]),
            actions=list(form.cleaned_data["actions"]),
        )

    def delete_model(self, request, obj):
        delete_with_history(obj, user=request.user)

    def _publish(self, request, queryset, publish: bool) -> None:
        for engagement in queryset:
            try:
                services.engagement_publish(
                    engagement=engagement, user=request.user, publish=publish
                )
            except ValidationError as error:
                message = f"{engagement}: {' '.join(error.messages)}"
                self.message_user(request, message, messages.ERROR)

    @admin.action(description="Approve for the public page", permissions=["change"])
    def approve_for_public_page(self, request, queryset):
        self._publish(request, queryset, True)

    @admin.action(description="Take off the public page", permissions=["change"])
    def take_off_public_page(self, request, queryset):
        self._publish(request, queryset, False)
