"""Local development: the defaults of base, with the development server serving static files."""

from .base import *  # noqa: F403
from .base import CACHES, env_bool

# Board packs of past meetings are not kept while developing, so that an edited template
# shows at once (production empties the cache at each deploy's migrate).
CACHES = {**CACHES, "packs": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

# The demo's users sign in to the admin with the password `make run` prints; set
# SENDPLAN_ADMIN_SECOND_FACTOR=true to try the second factor as production asks it.
SENDPLAN_ADMIN_SECOND_FACTOR = env_bool("SENDPLAN_ADMIN_SECOND_FACTOR", False)
