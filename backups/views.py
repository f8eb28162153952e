"""The admin's Deleted records: a plan admin brings back a deleted action, measure or plan."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from .selectors import KINDS, deleted_for


@require_http_methods(["GET", "POST"])
def deleted_records(request):
    if request.method == "POST":
        return _restore(request)
    context = {
        **admin.site.each_context(request),
        "title": "Deleted records",
        "deleted": deleted_for(request.user),
    }
    return TemplateResponse(request, "admin/backups/deleted_records.html", context)


def _restore(request):
    kind = KINDS.get(request.POST.get("kind", ""))
    record_id = request.POST.get("id", "")
    if kind is None or not record_id.isdigit():
        raise Http404("No such deleted record.")
    try:
        record = kind.restore(
            **{kind.id_argument: int(record_id)},
            user=request.user,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("deleted_records")
    messages.success(request, f"Restored {kind.model._meta.verbose_name} “{record}”.")
    opts = kind.model._meta
    return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]))
