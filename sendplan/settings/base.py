"""Settings shared by every environment. The environment is read here and nowhere else."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-set-SECRET_KEY-in-production")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "import_export",
    "priorities",
    "actions",
    "measures",
    "governance",
    "public_pages",
    "planfile",
    "demo",
    "reminders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication, so history rows written during a request carry its user.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "sendplan.urls"
WSGI_APPLICATION = "sendplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite with zero set-up unless DATABASE_URL names another database.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A history read over many areas can cross jit_above_cost and spend longer compiling
    # than running; our queries are short and indexed (docs/decisions/0005).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
# The area's time zone: "today", due dates, stale cut-offs and meeting days are its days.
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# GOV.UK Frontend is installed by npm into node_modules, never committed.
GOVUK_FRONTEND_DIST = BASE_DIR / "node_modules" / "govuk-frontend" / "dist"
if GOVUK_FRONTEND_DIST.exists():
    STATICFILES_DIRS.append(("govuk-frontend", GOVUK_FRONTEND_DIST))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "media"

# Audit history: notes can be longer than 100 characters, and the admin's "Revert"
# would write around the services that check permissions and reasons.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT stays off: it deletes a leading "=", losing text.
# sendplan/spreadsheets.py escapes formula-like cells so that they re-import as written.

# Largest action plan file an admin may upload or the command will read.
SENDPLAN_MAX_IMPORT_BYTES = int(os.environ.get("SENDPLAN_MAX_IMPORT_BYTES", str(20 * 1024 * 1024)))
# An action with no progress update for this many days is "stale" on the dashboards.
SENDPLAN_STALE_AFTER_DAYS = int(os.environ.get("SENDPLAN_STALE_AFTER_DAYS", "60"))
# "Due soon" on the pages: due within this many days.
SENDPLAN_DUE_SOON_DAYS = int(os.environ.get("SENDPLAN_DUE_SOON_DAYS", "90"))

# The public pages (public_pages/) are cached whole for this long: a change a plan admin
# publishes shows within it. Each process keeps its own local-memory cache; with several
# app servers a shared cache (Redis, memcached) may be named here instead.
PUBLIC_CACHE_SECONDS = int(os.environ.get("SENDPLAN_PUBLIC_CACHE_SECONDS", "60"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "public": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "public-pages",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

# E-mail (update rounds, reminders, escalations). Setting EMAIL_HOST selects SMTP in every
# settings module; without it e-mails are printed to the terminal (the console backend).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Seconds before a silent SMTP server counts as failed (the reminders stay due).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sendplan <sendplan@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's real address, for the links in e-mails.
SENDPLAN_SITE_URL = os.environ.get("SENDPLAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The same reminder (action and reason) goes to the same person at most once in this many days.
SENDPLAN_REMINDER_CADENCE_DAYS = int(os.environ.get("SENDPLAN_REMINDER_CADENCE_DAYS", "7"))
# An action still overdue or stale this many days after its first reminder goes to the plan admins.
SENDPLAN_ESCALATE_AFTER_DAYS = int(os.environ.get("SENDPLAN_ESCALATE_AFTER_DAYS", "14"))
# An update round's deadline falls this many days before its meeting, unless set otherwise.
SENDPLAN_ROUND_DEADLINE_DAYS = int(os.environ.get("SENDPLAN_ROUND_DEADLINE_DAYS", "10"))
# An owner who has not updated is asked again at most once in this many days.
SENDPLAN_ROUND_CHASE_EVERY_DAYS = int(os.environ.get("SENDPLAN_ROUND_CHASE_EVERY_DAYS", "3"))
