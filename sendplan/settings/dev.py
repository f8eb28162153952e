"""Local development: the defaults of base, with the development server serving static files."""

from .base import *  # noqa: F403
