"""Settings for bench/pack_load.py: bench/public_load.py's (production's, with a floor
page), a signed-in floor page, and the packs cache switched off when the run asks
(SENDPLAN_BENCH_PACK_CACHE=off)."""

import os

from bench.public_load_site import *  # noqa: F403
from bench.public_load_site import CACHES

ROOT_URLCONF = "bench.pack_load_urls"
if os.environ.get("SENDPLAN_BENCH_PACK_CACHE") == "off":
    CACHES = {**CACHES, "packs": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
