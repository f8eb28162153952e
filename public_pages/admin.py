"""Public texts in the admin: read them, publish strategies; drafts are approved through the
services, never by editing the published fields."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    ActionPublication,
    MeasurePublication,
    PriorityPublication,
    StrategyPublication,
)

_APPROVAL_FIELDS = ["draft_waiting", "drafted_by", "drafted_at", "published_by", "published_at"]


@admin.register(StrategyPublication)
class StrategyPublicationAdmin(SimpleHistoryAdmin):
    list_display = ["strategy", "is_published", "published_at"]
    list_select_related = ["strategy__area"]
    fields = ["strategy", "is_published", "introduction", "published_at"]
    readonly_fields = ["published_at"]

    def save_model(self, request, obj, form, change):
        services.strategy_publication_save(
            strategy=obj.strategy,
            user=request.user,
            is_published=obj.is_published,
            introduction=obj.introduction,
        )


class _ApprovalAdmin(SimpleHistoryAdmin):
    actions = ["approve"]
    list_filter = ["draft_waiting"]

    def save_model(self, request, obj, form, change):
        self._draft(request, obj)

    @admin.action(description="Approve the drafts and publish them", permissions=["change"])
    def approve(self, request, queryset):
        for publication in queryset:
            try:
                services.publication_approve(publication=publication, user=request.user)
            except ValidationError as error:
                message = f"{publication}: {' '.join(error.messages)}"
                self.message_user(request, message, messages.ERROR)


@admin.register(PriorityPublication)
class PriorityPublicationAdmin(_ApprovalAdmin):
    list_display = ["priority", "draft_waiting", "published_at"]
    list_select_related = ["priority__strategy"]
    fields = ["priority", "draft_easy_read", "draft_summary", "easy_read", "summary"]
    readonly_fields = ["easy_read", "summary", *_APPROVAL_FIELDS]

    def _draft(self, request, obj):
        services.priority_publication_draft(
            priority=obj.priority,
            user=request.user,
            easy_read=obj.draft_easy_read,
            summary=obj.draft_summary,
        )


@admin.register(ActionPublication)
class ActionPublicationAdmin(_ApprovalAdmin):
    list_display = ["action", "draft_waiting", "published_at"]
    list_select_related = ["action__priority"]
    fields = ["action", "draft_title", "draft_status", "title", "status"]
    readonly_fields = ["title", "status", *_APPROVAL_FIELDS]
    autocomplete_fields = ["action"]

    def _draft(self, request, obj):
        services.action_publication_draft(
            action=obj.action, user=request.user, title=obj.draft_title, status=obj.draft_status
        )


@admin.register(MeasurePublication)
class MeasurePublicationAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "is_published", "published_at"]
    list_select_related = ["measure__strategy"]
    fields = ["measure", "is_published", "published_by", "published_at"]
    readonly_fields = ["published_by", "published_at"]

    def save_model(self, request, obj, form, change):
        services.measure_publication_save(
            measure=obj.measure, user=request.user, is_published=obj.is_published
        )
