"""Settings shared by every environment. The environment is read here and nowhere else."""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

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
    "sendplan.apps.SendplanAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "priorities",
    "actions",
    "measures",
    "governance",
    "public_pages",
    "planfile",
    "demo",
    "reminders",
    "accounts",
    "backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body (the CSRF check, forms); after authentication, for
    # the admin's refusal page.
    "sendplan.request_limits.RequestSizeLimit",
    # Whether this session gave its second factor; then the admin asks it of those who have not.
    "django_otp.middleware.OTPMiddleware",
    "accounts.second_factor.AdminSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out an idle or too old session, and re-checks a sign-on with the provider.
    "accounts.sessions.SessionTimeouts",
    "accounts.sessions.ProviderRecheck",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # After authentication, so history rows written during a request carry its user.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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
    # Parameters bound on the server, and a query prepared the second time a connection
    # runs it, so its plan is kept: planning cost more than running most of a page's
    # queries (docs/decisions/0013). Off for a pooler that cannot keep prepared statements
    # per client (PgBouncer in transaction mode without max_prepared_statements).
    if env_bool("SENDPLAN_DB_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Single sign-on with the council's OpenID Connect provider (docs/operations.md: Security), on when
# OIDC_RP_CLIENT_ID is set: authorization code flow with PKCE, people known by the ID
# token's issuer and subject (accounts/single_sign_on.py).
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_AUTHENTICATE_CLASS = "accounts.views.SingleSignOnStart"
OIDC_CALLBACK_CLASS = "accounts.views.SingleSignOnCallback"
# Off: the sign-in page shows only single sign-on, and a posted password is refused.
SENDPLAN_PASSWORD_SIGN_IN = env_bool("SENDPLAN_PASSWORD_SIGN_IN", True)
# With password sign-in off, these superusers (user names) still may: for when the
# provider is down. Anyone else named, or anyone not a superuser, may not.
SENDPLAN_BREAK_GLASS_USERS = env_list("SENDPLAN_BREAK_GLASS_USERS", "")
# The provider is asked again (silently, prompt=none) after this long, so a leaver
# disabled there loses access (mozilla_django_oidc's SessionRefresh, accounts/sessions.py).
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = int(os.environ.get("SENDPLAN_SIGN_ON_RECHECK_SECONDS", "900"))
# Signed out after this long without a page loaded, and this long after signing in.
SENDPLAN_IDLE_TIMEOUT_MINUTES = int(os.environ.get("SENDPLAN_IDLE_TIMEOUT_MINUTES", "60"))
SENDPLAN_SESSION_HOURS = int(os.environ.get("SENDPLAN_SESSION_HOURS", "12"))
# The cookie lasts no longer than the session may (Django's default is two weeks).
SESSION_COOKIE_AGE = SENDPLAN_SESSION_HOURS * 60 * 60
# Password sign-ins to the admin ask a code from an authenticator app or a recovery code
# (accounts/second_factor.py); single sign-on's provider asks its own. Always on in production.
SENDPLAN_ADMIN_SECOND_FACTOR = env_bool("SENDPLAN_ADMIN_SECOND_FACTOR", True)
# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = "sendplan"
# The admin lists and removes people's authenticators and recovery codes, never shows them.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# A reset link by e-mail works for an hour, and once.
PASSWORD_RESET_TIMEOUT = 60 * 60

AUTHENTICATION_BACKENDS = [
    # First: refuses any sign-in while its user name or address is locked out.
    "axes.backends.AxesStandaloneBackend",
    # Second: answers permission checks in one query (sendplan/roles.py); signs nobody in.
    "sendplan.roles.RoleBackend",
    # Both also answer permission checks (each is a ModelBackend). The password one signs
    # in only those allowed (accounts/sign_in_rules.py).
    *(
        ["accounts.sign_in_rules.PasswordBackend"]
        if SENDPLAN_PASSWORD_SIGN_IN or SENDPLAN_BREAK_GLASS_USERS
        else []
    ),
    *(["accounts.single_sign_on.CouncilAccountBackend"] if OIDC_RP_CLIENT_ID else []),
]
if len(AUTHENTICATION_BACKENDS) == 2:
    raise ImproperlyConfigured(
        "Set OIDC_RP_CLIENT_ID (single sign-on) or leave SENDPLAN_PASSWORD_SIGN_IN on."
    )
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGIN_REDIRECT_URL_FAILURE = "login"
LOGOUT_REDIRECT_URL = "login"

# Content-Security-Policy (django-csp), in every environment so the tests run under it:
# scripts only from this site or inline with the request's nonce (templates/base.html).
# Style attributes are allowed (the dashboard's bars are sized by them; the admin uses
# some), <style> elements and stylesheets from elsewhere are not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # One inline handler, allowed by its hash alone: django-import-export's export
        # page's "Select all" box (onchange="onSelectToggleChange(event)").
        "script-src-attr": [
            "'unsafe-hashes'",
            "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",
        ],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# No page uses these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    ]
}

# Sign-in lockout (django-axes): this many failures in a row for one user name, or
# (a higher limit: a council's staff share one office address) from one address, lock
# that user name or address out for the cool-off time (accounts/lockout.py). A good
# sign-in clears only its own user name's failures from its own address. A lockout is
# logged, listed in the admin (Access attempts) and lifted with `manage.py axes_reset*`.
SENDPLAN_SIGN_IN_FAILURE_LIMIT = int(os.environ.get("SENDPLAN_SIGN_IN_FAILURE_LIMIT", "5"))
# 50: ten people each locking their own user name within one cool-off; a guesser at one
# address still gets no more than 50 guesses, and fewer than 5 at any one account.
SENDPLAN_SIGN_IN_ADDRESS_FAILURE_LIMIT = int(
    os.environ.get("SENDPLAN_SIGN_IN_ADDRESS_FAILURE_LIMIT", "50")
)
AXES_FAILURE_LIMIT = "accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("SENDPLAN_SIGN_IN_LOCKOUT_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "accounts.lockout.SignInLockout"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
# The log names the user name and address (never the password) so an admin can act on it.
AXES_SENSITIVE_PARAMETERS = []
# The address is the connection's unless a proxy in front is trusted to set
# X-Forwarded-For: otherwise anyone could send a new address with every guess.
SENDPLAN_TRUSTED_PROXIES = int(os.environ.get("SENDPLAN_TRUSTED_PROXIES", "0"))
if SENDPLAN_TRUSTED_PROXIES:
    AXES_IPWARE_PROXY_COUNT = SENDPLAN_TRUSTED_PROXIES
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Warnings and errors go to the server's log (stderr) with DEBUG on or off; a 403 is one
# line there (sendplan/log_filters.py), sign-in lockouts are logged by django-axes.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_on_one_line": {"()": "sendplan.log_filters.ForbiddenOnOneLine"}},
    "handlers": {"server_log": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["server_log"], "level": "WARNING"},
    "loggers": {
        # Django's own handlers print only with DEBUG on; the root's serves both.
        "django": {"handlers": [], "level": "WARNING"},
        "django.request": {"filters": ["forbidden_on_one_line"]},
    },
}

LANGUAGE_CODE = "en-gb"
# The area's time zone: "today", due dates, stale cut-offs and meeting days are its days.
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
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
# How far an imported workbook's sheet may reach: a plan has a few columns, and a
# 20,000-action plan some 24,000 rows; every cell stored costs parsing time, read or not.
SENDPLAN_MAX_IMPORT_COLUMNS = int(os.environ.get("SENDPLAN_MAX_IMPORT_COLUMNS", "200"))
SENDPLAN_MAX_IMPORT_ROWS = int(os.environ.get("SENDPLAN_MAX_IMPORT_ROWS", "200000"))
# Explore education statistics' public API, from which import_measure_values --ees downloads.
SENDPLAN_EES_API_URL = os.environ.get(
    "SENDPLAN_EES_API_URL", "https://api.education.gov.uk/statistics"
)
SENDPLAN_EES_TIMEOUT = int(os.environ.get("SENDPLAN_EES_TIMEOUT", "60"))
# Largest request the site reads (sendplan/request_limits.py): an import file and its form.
SENDPLAN_MAX_REQUEST_BYTES = int(
    os.environ.get("SENDPLAN_MAX_REQUEST_BYTES", str(SENDPLAN_MAX_IMPORT_BYTES + 1024 * 1024))
)
# An action with no progress update for this many days is "stale" on the dashboards.
SENDPLAN_STALE_AFTER_DAYS = int(os.environ.get("SENDPLAN_STALE_AFTER_DAYS", "60"))
# "Due soon" on the pages: due within this many days.
SENDPLAN_DUE_SOON_DAYS = int(os.environ.get("SENDPLAN_DUE_SOON_DAYS", "90"))

# load_demo creates users with published passwords: development and tests only.
SENDPLAN_DEMO_ALLOWED = env_bool("SENDPLAN_DEMO_ALLOWED", DEBUG)
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
