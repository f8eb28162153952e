from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Board


@admin.register(Board)
class BoardAdmin(SimpleHistoryAdmin):
    list_display = ["name", "area", "kind"]
    list_filter = ["area", "kind"]
    search_fields = ["name"]
