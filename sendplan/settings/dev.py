"""Local development: the defaults of base, with the development server serving static files."""

from .base import *  # noqa: F403
from .base import env_bool

# The demo's users sign in to the admin with the password `make run` prints; set
# SENDPLAN_ADMIN_SECOND_FACTOR=true to try the second factor as production asks it.
SENDPLAN_ADMIN_SECOND_FACTOR = env_bool("SENDPLAN_ADMIN_SECOND_FACTOR", False)
