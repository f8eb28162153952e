"""Tests: no collectstatic needed, fast password hashing. DATABASE_URL picks the database."""

from .base import *  # noqa: F403
from .base import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests never reach the real statistics API: those that download serve a recorded file.
SENDPLAN_EES_API_URL = "http://127.0.0.1:9/never-reached"
