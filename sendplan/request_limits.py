"""Requests larger than SENDPLAN_MAX_REQUEST_BYTES are refused before their body is read.

Django bounds the form fields it keeps in memory (DATA_UPLOAD_MAX_MEMORY_SIZE) but reads an
uploaded file whole, to disk, however large: a 300 MB anonymous POST to the sign-in page
was read (issue 20). Refused on the size the request declares, so the body is never read;
one that declares none (chunked) is refused too, as no form a browser sends lacks it. The
reverse proxy in front should cap bodies as well (docs/operations.md: Production).
"""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.urls import reverse


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


class RequestSizeLimit:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH")
        limit = settings.SENDPLAN_MAX_REQUEST_BYTES
        if not declared and "HTTP_TRANSFER_ENCODING" in request.META:
            return _refusal(request, 411, limit=limit, size=None)
        if declared and declared.isdigit() and int(declared) > limit:
            return _refusal(request, 413, limit=limit, size=int(declared))
        return self.get_response(request)


def _refusal(request, status: int, *, limit: int, size: int | None):
    context = {
        "size": None if size is None else _megabytes(size),
        "limit": _megabytes(limit),
        "import_limit": _megabytes(settings.SENDPLAN_MAX_IMPORT_BYTES),
    }
    if request.path.startswith(reverse("admin:index")):
        context.update(admin.site.each_context(request), title="Too large to send")
        template = "admin/request_too_large.html"
    else:
        template = "request_too_large.html"
    return render(request, template, context, status=status)
