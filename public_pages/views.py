"""The public pages: no sign-in, only published text, cached for PUBLIC_CACHE_SECONDS.

Each page is cached whole per URL (cache_page), so a crowd of visitors costs one render a
minute; a change published by a plan admin shows within that minute.
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from . import selectors
from .exports import plan_csv, plan_json

public_cache = cache_page(settings.PUBLIC_CACHE_SECONDS, cache="public")


def _plan(pk: int) -> selectors.PublicPlan:
    plan = selectors.public_plan(pk)
    if plan is None:
        raise Http404("No published strategy here.")
    return plan


@require_GET
@public_cache
def index(request):
    return render(request, "public/index.html", {"strategies": selectors.published_strategies()})


@require_GET
@public_cache
def strategy(request, pk: int):
    return render(request, "public/strategy.html", {"plan": _plan(pk)})


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@public_cache
def strategy_csv(request, pk: int):
    return _download(plan_csv(_plan(pk)), "text/csv; charset=utf-8", f"send-plan-{pk}.csv")


@require_GET
@public_cache
def strategy_json(request, pk: int):
    return _download(plan_json(_plan(pk)), "application/json", f"send-plan-{pk}.json")
