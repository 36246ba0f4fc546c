"""Django settings for tillit, read from the environment.

Development needs no variables at all: SQLite in ./var, DEBUG on, a fixed
development secret. `TILLIT_PROFILE=production` switches to the production
profile, which refuses to start without SECRET_KEY and ALLOWED_HOSTS.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("TILLIT_VAR_DIR", PROJECT_DIR / "var"))
# The embedded database and collected static files live here; make sure it exists.
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


PROFILE = os.environ.get("TILLIT_PROFILE", "development")
if PROFILE not in {"development", "production"}:
    raise ImproperlyConfigured("TILLIT_PROFILE must be 'development' or 'production'.")
PRODUCTION = PROFILE == "production"

if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "The production profile needs SECRET_KEY (at least 50 random characters)."
        )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("The production profile needs ALLOWED_HOSTS.")
    DEBUG = env_bool("DEBUG", False)
else:
    SECRET_KEY = os.environ.get(
        "SECRET_KEY", "development-only-secret-key-never-use-in-production-0123456789"
    )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
    DEBUG = env_bool("DEBUG", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_tables2",
    "django_filters",
    "tillit.accounts",
    "tillit.organisation",
    "tillit.clients",
    "tillit.audit",
    "tillit.access",
    "tillit.decisions",
    "tillit.planning",
    "tillit.daylist",
    "tillit.staffing",
    "tillit.insight",
    "django_tasks",
    "django_tasks.backends.database",
    "tillit.web",
    "tillit.demo",
    "tillit.routines",
    "tillit.training",
    "tillit.inquiries",
    "tillit.projects",
    "tillit.devices",
    "tillit.workwear",
    "tillit.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tillit.web.not_found.NorwegianNotFoundMiddleware",
    "tillit.accounts.session_limits.SessionLimitsMiddleware",
    "tillit.web.cache_headers.NoStoreForSignedInMiddleware",
    "tillit.access.middleware.AccessPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tillit.urls"
WSGI_APPLICATION = "tillit.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tillit.web.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tillit.sqlite3'}"),
        conn_max_age=int(os.environ.get("TILLIT_DB_CONN_MAX_AGE", "0")),
        # A connection kept between requests (TILLIT_DB_CONN_MAX_AGE) is tried
        # before a request uses it and opened anew if the database restarted
        # meanwhile; without it the first request of each worker after a
        # restart failed (bench/pg_restart.py, ops/tests/test_db_reconnect.py).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20,
         # A transaction takes the write lock when it begins, so a second writer
         # waits (up to the timeout) instead of failing with "database is locked"
         # when its read turns into a write (decisions/tests/test_concurrent_edits.py).
         "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tillit.accounts.throttle.AddressThrottleBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): lock a username+address after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("TILLIT_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("TILLIT_AXES_ENABLED", True)
# ... and an address after this many failures over all usernames (tillit.accounts.throttle).
TILLIT_LOGIN_ADDRESS_LIMIT = int(os.environ.get("TILLIT_LOGIN_ADDRESS_LIMIT", "30"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]
LOCALE_PATHS: list[Path] = []  # each app keeps its own locale/ folder
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Sessions and cookies: secure defaults; HTTPS-only cookies in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions end after 30 minutes idle and 12 hours in all (tillit.accounts.session_limits).
TILLIT_SESSION_IDLE_SECONDS = int(os.environ.get("TILLIT_SESSION_IDLE_SECONDS", "1800"))
TILLIT_SESSION_ABSOLUTE_SECONDS = int(os.environ.get("TILLIT_SESSION_ABSOLUTE_SECONDS", "43200"))
SESSION_COOKIE_AGE = TILLIT_SESSION_IDLE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("TILLIT_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("TILLIT_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Content security policy: only our own origin; no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Optional OpenID Connect login (the municipality's identity provider).
OIDC_ENABLED = bool(os.environ.get("TILLIT_OIDC_CLIENT_ID"))
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("tillit.accounts.oidc.TillitOIDCBackend")
    OIDC_RP_CLIENT_ID = os.environ["TILLIT_OIDC_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ.get("TILLIT_OIDC_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("TILLIT_OIDC_SIGN_ALGO", "RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("TILLIT_OIDC_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("TILLIT_OIDC_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = os.environ.get("TILLIT_OIDC_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("TILLIT_OIDC_JWKS_ENDPOINT", "")
    OIDC_USERNAME_CLAIM = os.environ.get("TILLIT_OIDC_USERNAME_CLAIM", "preferred_username")
    OIDC_CREATE_USER = False  # the IdP proves identity; tillit gives roles

# tillit's own settings.
TILLIT_DEMO_PASSWORD = os.environ.get("TILLIT_DEMO_PASSWORD", "demo")
TILLIT_CARER_ACCESS_MARGIN_HOURS = float(os.environ.get("TILLIT_CARER_ACCESS_MARGIN_HOURS", "2"))
# Revision proposals from visit reports: at least NEEDED of the last WINDOW reports of a
# decision "more" (or "less") propose a reassessment (tillit.core.revision).
TILLIT_REVISION_RULE = {
    "window": int(os.environ.get("TILLIT_REVISION_WINDOW", "6")),
    "needed": int(os.environ.get("TILLIT_REVISION_NEEDED", "4")),
}
# Emergency access (break-glass) lasts this long; the admin site shows no
# person-level models unless TILLIT_ADMIN_CLINICAL_ACCESS is on.
TILLIT_BREAK_GLASS_MINUTES = int(os.environ.get("TILLIT_BREAK_GLASS_MINUTES", "60"))
TILLIT_ADMIN_CLINICAL_ACCESS = env_bool("TILLIT_ADMIN_CLINICAL_ACCESS", False)
TILLIT_OSRM_URL = os.environ.get("TILLIT_OSRM_URL", "")
# The access log's hash chain is an HMAC-SHA256 keyed outside the database
# (README: "The access log's key"). TILLIT_AUDIT_KEY is the current key
# (required in production, at least 32 characters), TILLIT_AUDIT_KEY_ID its
# name, stored on every row; TILLIT_AUDIT_OLD_KEYS ("id:key,id:key") keeps
# retired keys so older rows still verify. Development derives a key from
# SECRET_KEY.
TILLIT_AUDIT_KEY_ID = os.environ.get("TILLIT_AUDIT_KEY_ID", "k1" if PRODUCTION else "dev")
_audit_key = os.environ.get("TILLIT_AUDIT_KEY", "")
if not _audit_key and not PRODUCTION:
    import hashlib

    _audit_key = hashlib.sha256(f"tillit-audit-chain:{SECRET_KEY}".encode()).hexdigest()
if len(_audit_key) < 32:
    raise ImproperlyConfigured(
        "The access log needs TILLIT_AUDIT_KEY (at least 32 random characters), kept outside "
        "the database."
    )
TILLIT_AUDIT_KEYS = {
    key_id.strip(): key.strip()
    for key_id, _sep, key in (
        item.partition(":") for item in env_list("TILLIT_AUDIT_OLD_KEYS", []) if ":" in item
    )
}
TILLIT_AUDIT_KEYS[TILLIT_AUDIT_KEY_ID] = _audit_key

# Background tasks (planning runs): Django's tasks API through the
# django-tasks backport, stored in the database; `tillit worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}
# Decision letters: who decides appeals, and the purchaser office's phone number.
TILLIT_APPEAL_BODY = os.environ.get(
    "TILLIT_APPEAL_BODY", "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus")
TILLIT_OFFICE_PHONE = os.environ.get("TILLIT_OFFICE_PHONE", "21 80 21 80")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TILLIT_LOG_LEVEL", "WARNING")},
}
