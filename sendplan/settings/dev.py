"""Local development: the defaults of base, with the development server serving static files."""

from .base import *  # noqa: F403
from .base import CACHES

# Board packs of past meetings are not kept while developing, so that an edited template
# shows at once (production empties the cache at each deploy's migrate).
CACHES = {**CACHES, "packs": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
