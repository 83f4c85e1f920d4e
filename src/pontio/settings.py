"""Pontio settings.

Every value that differs between the demo, tests and production is read from the
environment here and nowhere else (HackSoft styleguide). See README "Configuration".
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(os.environ.get("PONTIO_VAR_DIR", BASE_DIR / "var"))
BUILD_DIR = BASE_DIR / "build"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# "production" (default: safest), "demo" (local http demo) or "test".
PONTIO_ENV = os.environ.get("PONTIO_ENV", "production")
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PONTIO_ENV == "production":
        raise ImproperlyConfigured("SECRET_KEY must be set in production (see README).")
    SECRET_KEY = "insecure-" + PONTIO_ENV + "-key-never-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "pontio.core",
    "pontio.accounts",
    "pontio.audit",
    "pontio.people",
    "pontio.directory",
    "pontio.referrals",
    "pontio.stopsearch",
    "pontio.custody",
    "pontio.disposals",
    "pontio.intelligence",
    "pontio.operations",
    "pontio.examinations",
    "pontio.interop",
    "pontio.webhooks",
    "pontio.reminders",
    "pontio.oversight",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pontio.core.middleware.RequestIdMiddleware",
    "pontio.core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pontio.accounts.middleware.SessionPolicyMiddleware",
    "pontio.accounts.middleware.RequireVerifiedStaffMiddleware",
    "pontio.accounts.middleware.BreakGlassMiddleware",
    "pontio.accounts.tokens_auth.PartnerTokenAuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pontio.urls"
WSGI_APPLICATION = "pontio.wsgi.application"
ASGI_APPLICATION = "pontio.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "pontio.core.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "pontio.core.forms.GovukFormRenderer"

# Database: SQLite file for the demo and the first test pass, PostgreSQL everywhere else.
if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'pontio.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}


def sqlite_options() -> dict[str, object]:
    """SQLite for several users at once (the demo): every read and refusal appends an audit
    row, so writes are frequent and short.

    - WAL: readers never wait for the writer, nor the writer for readers.
    - ``transaction_mode = IMMEDIATE``: a transaction takes the write lock when it begins, so
      two edits queue one behind the other (the second then sees the new version and gets the
      stale-version message) instead of one failing with "database is locked" when it tries to
      upgrade a read lock that the other blocks.
    - a busy timeout, so the queue waits rather than fails; ``synchronous = NORMAL`` is safe
      with WAL (a power cut may lose the last commits, never corrupt the file).
    """
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }


if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        **sqlite_options(),
    }
# A streaming replica for the figures, dashboards and exports (core.replica; D63).
if os.environ.get("PONTIO_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["PONTIO_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# PostgreSQL's JIT compiler spent 2.1 s compiling the custody funnel's one query, which then
# ran in 97 ms (force-size data set); Pontio's queries are short, so it never pays (D64).
for _alias in DATABASES.values():
    if _alias["ENGINE"] == "django.db.backends.postgresql":
        _options = _alias.setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DATABASE_ROUTERS = ["pontio.core.replica.ReplicaRouter"]

# The dashboards' rendered tiles (already suppressed, never rows), per user scope (D78).
# In one process by default; PONTIO_REDIS_URL shares them between the web processes.
FIGURES_CACHE_SECONDS = int(os.environ.get("PONTIO_FIGURES_CACHE_SECONDS", "300"))
# Figures built ahead by the worker (oversight.figures_warm, D79) are kept this long: longer
# than the interval between two warm runs, so the opening view never falls cold.
FIGURES_WARM_SECONDS = int(os.environ.get("PONTIO_FIGURES_WARM_SECONDS", "1200"))
CACHES = {
    # Shared by the web processes when Redis is named: the public intelligence form's rate
    # limit and one-time form tokens must hold across processes.
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["PONTIO_REDIS_URL"],
            "KEY_PREFIX": "pontio-default",
        }
        if os.environ.get("PONTIO_REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    "figures": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["PONTIO_REDIS_URL"],
            "KEY_PREFIX": "pontio",
        }
        if os.environ.get("PONTIO_REDIS_URL")
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pontio-figures",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    ),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out accounts before a password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
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
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Lockout (django-axes): 5 wrong passwords lock the account for 30 minutes or until an
# administrator unlocks it. Locking by username protects an account from a distributed
# guesser; an administrator can unlock a user who was locked out by someone else.
AXES_FAILURE_LIMIT = int(os.environ.get("PONTIO_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("PONTIO_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "pontio.accounts.views.lockout_response"
AXES_VERBOSE = False  # axes would log usernames and addresses; we audit instead.
AXES_CLIENT_IP_CALLABLE = "pontio.core.http.client_ip"

# Sessions: idle timeout plus an absolute limit. A request pushes the expiry forward only
# when the session was last saved more than PONTIO_SESSION_REFRESH_SECONDS ago, so a
# read-only request writes nothing (D62); the idle timeout is exact to within that.
SESSION_COOKIE_AGE = int(os.environ.get("PONTIO_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = False
PONTIO_SESSION_REFRESH_SECONDS = int(os.environ.get("PONTIO_SESSION_REFRESH_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
PONTIO_SESSION_ABSOLUTE_HOURS = int(os.environ.get("PONTIO_SESSION_ABSOLUTE_HOURS", "12"))
PONTIO_SIGN_IN_STEP_MINUTES = 5  # time allowed between the password and the code

# Cookies and transport. The demo runs on http://127.0.0.1, so secure cookies are off there only.
SECURE_COOKIES = env_bool("PONTIO_SECURE_COOKIES", PONTIO_ENV == "production")
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "pontio_session"
CSRF_FAILURE_VIEW = "pontio.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PONTIO_ENV == "production":
    SECURE_SSL_REDIRECT = env_bool("PONTIO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies sit in front of the app; their X-Forwarded-For entries are trusted.
PONTIO_TRUSTED_PROXIES = int(os.environ.get("PONTIO_TRUSTED_PROXIES", "0"))

# Strict Content Security Policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Internationalisation: English and Welsh, chosen by the switch on every page (a cookie),
# then the signed-in user's preference, then the browser.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [SRC_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "pontio_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
TIME_ZONE = "Europe/London"
USE_TZ = True

# Static files: GOV.UK Frontend is built from npm into build/static by `make assets`.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [SRC_DIR / "static", BUILD_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if PONTIO_ENV == "test"
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = PONTIO_ENV != "production"

# Calls a minute (or /s, /h, /day) per partner API token (accounts.tokens_auth).
PONTIO_PARTNER_RATE = os.environ.get("PONTIO_PARTNER_RATE", "300/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "pontio.accounts.tokens_auth.PartnerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "pontio.core.api.IsVerifiedStaff",
        "pontio.core.api.TokenScope",
        "pontio.core.api.HasPermission",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["pontio.accounts.tokens_auth.PartnerTokenThrottle"],
    "EXCEPTION_HANDLER": "pontio.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "pontio.core.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pontio API",
    "DESCRIPTION": "Partner API of Pontio. Every call is scoped to the caller and audited.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The description of the API is for signed-in staff only, like the API itself.
    "SERVE_PERMISSIONS": ["pontio.core.api.IsVerifiedStaff"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "pontio.core.api.document_refusals",
    ],
    # One name per choice set where field names collide across apps.
    "ENUM_NAME_OVERRIDES": {
        "ReferralStatusEnum": "pontio.referrals.models.Status",
        "ReferralPartyEnum": "pontio.referrals.models.Party",
        "ReferralCodeKindEnum": "pontio.referrals.models.ReferralCode.Kind",
        "AppointmentKindEnum": "pontio.referrals.models.Appointment.Kind",
        "AppointmentModeEnum": "pontio.referrals.models.Appointment.Mode",
        "ClinicalRecordKindEnum": "pontio.referrals.models.ClinicalRecord.Kind",
        "PersonLanguageEnum": "pontio.people.models.Language",
        "DuplicateGroupStatusEnum": "pontio.people.models.DuplicateCluster.Status",
        "DisposalStateEnum": "pontio.disposals.models.DisposalState",
        "ContractStateEnum": "pontio.disposals.models.ContractState",
        "DisposalOutcomeEnum": "pontio.disposals.models.Outcome",
        "DiversionPathwayEnum": "pontio.disposals.models.Pathway",
        "ComplianceStatusEnum": "pontio.disposals.models.ComplianceStatus",
        "DisposalConditionCategoryEnum": "pontio.disposals.models.ConditionCategory",
        "ReferralPathwayEnum": "pontio.referrals.models.Pathway",
        "AssessmentStateEnum": "pontio.custody.models.AssessmentState",
        "ContactAttemptOutcomeEnum": "pontio.referrals.models.ContactAttempt.Outcome",
    },
}

# Background work: Django's tasks API (django-tasks backport) with the database backend.
TASKS = {
    "default": {
        # Tests run tasks at once (in the same transaction's on_commit); everywhere else the
        # database queue and its worker (`manage.py db_worker`) run them.
        "BACKEND": os.environ.get(
            "PONTIO_TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if PONTIO_ENV == "test"
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}

# GOV.UK Notify: messages carry links only, never personal data. Without a key, messages
# are kept in the outbox table and shown as "not sent" (demo and tests).
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
# Messages to referred people (reminders): "local" records them instead of sending (also
# without a key); the bearer token Notify sends with its delivery callbacks.
PONTIO_NOTIFY_MODE = os.environ.get("PONTIO_NOTIFY_MODE", "")
NOTIFY_CALLBACK_TOKEN = os.environ.get("NOTIFY_CALLBACK_TOKEN", "")
PONTIO_BASE_URL = os.environ.get("PONTIO_BASE_URL", "http://127.0.0.1:8000")
# Referral service-level targets in working days (referrals.sla); treatment start within 20
# working days is the Welsh national KPI, the others are local agreements.
# Monthly stop and search audit: share of last month's searches sampled per county (%), and
# working days the reviewers have before a review is overdue and escalates.
PONTIO_STOPSEARCH_SAMPLE_PERCENT = int(os.environ.get("PONTIO_STOPSEARCH_SAMPLE_PERCENT", "25"))
PONTIO_STOPSEARCH_REVIEW_DAYS = int(os.environ.get("PONTIO_STOPSEARCH_REVIEW_DAYS", "10"))
# Quarterly sample of out-of-court disposals for the scrutiny panel (%), and the working
# days panel members have for a review.
PONTIO_DISPOSAL_SAMPLE_PERCENT = int(os.environ.get("PONTIO_DISPOSAL_SAMPLE_PERCENT", "20"))
PONTIO_DISPOSAL_REVIEW_DAYS = int(os.environ.get("PONTIO_DISPOSAL_REVIEW_DAYS", "20"))
PONTIO_REFERRAL_SLA: dict[str, int] = json.loads(os.environ.get("PONTIO_REFERRAL_SLA", "{}"))

# Logs carry ids, never names or other personal data: see core/logging.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "pontio.core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # 403/404 are audited (with ids); the request log keeps server errors only.
        "django.request": {"level": "ERROR"},
        "django.security.csrf": {"level": "ERROR"},
    },
}

PONTIO_SERVICE_NAME = _("Pontio")

# Lockout is by account (see AXES_* above): a per-address limit would lock out a whole
# police station behind one NAT address, so axes' warning about that is silenced on purpose.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
