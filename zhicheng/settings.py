"""Settings for zhicheng.

Embedded by default (SQLite in WAL mode and a SQLite Huey queue under ``var/``); set
``DATABASE_URL`` for PostgreSQL and ``REDIS_URL`` for a Redis job queue. Every knob is an
environment variable documented in the README.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ZHICHENG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", True)
# Django's technical 404/500 pages (URL patterns, tracebacks) only when an engineer asks for
# them; otherwise users see the project's own pages also in development.
ZHICHENG_DEBUG_PAGES = env_bool("ZHICHENG_DEBUG_PAGES", False)
# 待办 on the officers' home flags an application waiting at one level longer than this.
ZHICHENG_REVIEW_OVERDUE_DAYS = int(os.environ.get("ZHICHENG_REVIEW_OVERDUE_DAYS", "15"))
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("生产环境（DJANGO_DEBUG=0）必须设置 DJANGO_SECRET_KEY")
    SECRET_KEY = "dev-insecure-zhicheng-change-me-in-production"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "treebeard",
    "axes",
    "auditlog",
    "huey.contrib.djhuey",
    "zhicheng.common",
    "zhicheng.accounts",
    "zhicheng.orgs",
    "zhicheng.persons",
    "zhicheng.blacklist",
    "zhicheng.applications",
    "zhicheng.titles",
    "zhicheng.audit",
    "zhicheng.tabular",
    "zhicheng.catalog",
    "zhicheng.routing",
    "zhicheng.committees",
    "zhicheng.certificates",
    "zhicheng.quotas",
    "zhicheng.plans",
    "zhicheng.experts",
    "zhicheng.windows",
    "zhicheng.meetings",
    "zhicheng.filings",
    "zhicheng.achievements",
    "zhicheng.units",
    "zhicheng.inbox",
    "zhicheng.reviewforms",
    "zhicheng.web",
    "zhicheng.portal",  # the composition root: last, above every app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Chinese 404/500 pages also under DEBUG (unless ZHICHENG_DEBUG_PAGES=1).
    "zhicheng.web.middleware.FriendlyErrorPagesMiddleware",
    # Content-Security-Policy on every response (common/security.py).
    "zhicheng.common.security.ContentSecurityPolicyMiddleware",
    # JSON with a Chinese message for every error under /api/ (also Django's own 404/500).
    "zhicheng.common.api.ApiErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Keeps a used session alive (idle timeout) with at most one session write a minute.
    "zhicheng.accounts.middleware.SessionActivityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Refuses a multipart body over the largest allowed upload before anything reads it (CSRF
    # reads the form in its process_view, so this must come before it).
    "zhicheng.common.uploads.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Instead of auditlog's middleware: actor resolved at save time (after DRF token auth),
    # client IP from REMOTE_ADDR unless ZHICHENG_PROXY_COUNT trusted proxies are configured.
    "zhicheng.audit.middleware.AuditContextMiddleware",
    "zhicheng.accounts.middleware.ForcePasswordChangeMiddleware",
    # AxesMiddleware must be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhicheng.urls"
WSGI_APPLICATION = "zhicheng.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zhicheng" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhicheng.portal.context_processors.menu",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # A bounded pool per process (psycopg 3's, through Django's OPTIONS["pool"]) instead of
        # persistent connections: those live in the thread that opened them, and the threaded
        # development server (`make run`) starts a thread per request, so each request left an
        # idle backend behind until PostgreSQL refused every client. A request now borrows a
        # connection and gives it back when it ends (CONN_MAX_AGE must be 0 with a pool): a
        # process never holds more than ZHICHENG_PG_POOL_SIZE, and a request waits at most
        # ZHICHENG_PG_POOL_TIMEOUT seconds for a free one. With CONN_HEALTH_CHECKS the pool
        # checks a connection before lending it, so a restarted server fails no request; the
        # project's backend (common/postgresql) makes that check without a round trip.
        DATABASES["default"]["ENGINE"] = "zhicheng.common.postgresql"
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": int(os.environ.get("ZHICHENG_PG_POOL_SIZE", "8")),
            "timeout": float(os.environ.get("ZHICHENG_PG_POOL_TIMEOUT", "20")),
        }
        # Statements are prepared only where asked (common/db.py: the public 证书核验 read, its
        # planning cost ten times its execution), after this many runs on a connection; the
        # ORM's own client-side-bound queries are never prepared.
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = int(
            os.environ.get("ZHICHENG_PG_PREPARE_THRESHOLD", "2")
        )
        # Planner settings for this application's sessions (an OLTP load whose data fits in
        # memory): index reads cost about what sequential ones do, JIT compilation (tens of
        # ms) never pays back on a 20-row page, and parallel workers only add start-up time
        # to short queries while other requests wait for the CPUs. The collapse limits bound
        # the join orders the planner tries: a detail page's query joins 15 tables through
        # select_related (foreign keys looked up by primary key, where the order as written is
        # already the plan), and trying every order of 8 of them cost 50–60 ms of planning for
        # a 0.2 ms query; at 4 it costs 3 ms. Override with PGOPTIONS semantics through
        # ZHICHENG_PG_OPTIONS.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
            "ZHICHENG_PG_OPTIONS",
            "-c random_page_cost=1.1 -c jit=off -c max_parallel_workers_per_gather=0"
            " -c join_collapse_limit=4 -c from_collapse_limit=4",
        )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "zhicheng.sqlite3",
            "OPTIONS": {
                # WAL lets readers work while one writer commits; IMMEDIATE takes the write
                # lock at BEGIN so concurrent transitions serialise instead of failing late.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # In memory unless a file is asked for, so parallel test runs never share a file.
            "TEST": {"NAME": os.environ.get("ZHICHENG_TEST_SQLITE") or None},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

PASSWORD_HASHERS = [
    "zhicheng.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "zhicheng.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "zhicheng.accounts.validators.ComplexityValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend with each user's permissions cached (accounts.authz_cache).
    "zhicheng.accounts.authz_cache.CachedModelBackend",
]

# Lock an account for 10 minutes after 5 failed logins.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=10)
AXES_LOCKOUT_PARAMETERS = ["username"]
# Logins ignore case: failures count under the account's stored name however it was typed
# (one rule with the login lookup, zhicheng.accounts.usernames).
AXES_USERNAME_CALLABLE = "zhicheng.accounts.usernames.axes_username"
# The guide locks the account, not the address (officers share NAT addresses), so W006 is
# deliberate.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The covering indexes of the 1.12 scope nodes INCLUDE list columns for PostgreSQL; SQLite
    # builds them without those columns, which is all W040 says (the development default).
    SILENCED_SYSTEM_CHECKS.append("models.W040")
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "zhicheng.accounts.views.lockout_response"
# Number of trusted reverse proxies in front of the app. 0: the client is REMOTE_ADDR and
# X-Forwarded-For is ignored (anyone can send it). N: the N-th address from the right of
# X-Forwarded-For. One function decides for the login log and the operation log alike.
ZHICHENG_PROXY_COUNT = int(os.environ.get("ZHICHENG_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "zhicheng.common.client_ip.client_ip"
# Attempts per client address on public endpoints (zhicheng.common.ratelimit), "N/second|
# minute|hour|day": applicant registration (the page and the API each allow this many).
# Rate limits (registration) and throttles count in the cache: Redis when configured, so that
# every web process shares one count; otherwise each process keeps its own.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

ZHICHENG_RATE_LIMITS = {
    "register": os.environ.get("ZHICHENG_REGISTER_RATE", "10/hour"),
    # 证书核验 is public: enough for anyone checking certificates, not for guessing names.
    "verify": os.environ.get("ZHICHENG_VERIFY_RATE", "60/hour"),
    # 忘记密码 (applicants' self-service reset by 身份证号 + 注册手机号).
    "password_reset": os.environ.get("ZHICHENG_PASSWORD_RESET_RATE", "5/hour"),
}

# Idle timeout: the session expires after this many seconds without a request. The session is
# not saved on every request (a database write each time, every typeahead keystroke): the
# SessionActivityMiddleware stamps it at most once per ZHICHENG_SESSION_ACTIVITY_SECONDS, and
# only a stamp saves it. The stored expiry can lag the last request by up to that granularity,
# so it is added to the session's age: an idle session ends between ZHICHENG_SESSION_IDLE_SECONDS
# and one granularity later — never while the user is within the idle time.
ZHICHENG_SESSION_IDLE_SECONDS = int(os.environ.get("ZHICHENG_SESSION_IDLE_SECONDS", "1800"))
ZHICHENG_SESSION_ACTIVITY_SECONDS = 60
SESSION_COOKIE_AGE = ZHICHENG_SESSION_IDLE_SECONDS + ZHICHENG_SESSION_ACTIVITY_SECONDS
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# --- I18N -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("ZHICHENG_STATIC_ROOT", BASE_DIR / "staticfiles"))
if not DEBUG:
    # Static files straight from the application server (make serve): hashed names, compressed,
    # cached for a year; right after SecurityMiddleware so they cost nothing else. (Under DEBUG
    # runserver serves them from the apps.)
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
    # collectstatic writes hashed copies (and gzip ones); {% static %} then names the hashed
    # file, which whitenoise serves with a one-year immutable cache.
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "zhicheng.common.storage.HashedStaticStorage"},
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "zhicheng.common.storage.StaticStorage"},
    }
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
# The largest file any form accepts (电子档案 attachments; imports declare their own 10 MB with
# zhicheng.common.uploads.upload_limit). A file over its limit stops being received; a multipart
# body over this plus a small overhead is refused unread (UploadLimitMiddleware).
ZHICHENG_UPLOAD_MAX_BYTES = 20 * 1024 * 1024

# Certificates (1.17): the signing key and certificate (PEM). Unset: a demo ECDSA P-256 key and a
# self-signed certificate are made under var/signing/ at first use. The CJK TrueType font is
# embedded in every certificate; the public verification page is the QR code's target.
ZHICHENG_SIGNING_KEY = os.environ.get("ZHICHENG_SIGNING_KEY", "")
ZHICHENG_SIGNING_CERT = os.environ.get("ZHICHENG_SIGNING_CERT", "")
ZHICHENG_SIGNING_DIR = VAR_DIR / "signing"
ZHICHENG_CERTIFICATE_FONT = os.environ.get(
    "ZHICHENG_CERTIFICATE_FONT", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
)
# 批量发放证书 jobs render and sign in this many processes (the runner itself does the database
# work meanwhile); 1: in the runner's own process. Default: one per CPU core.
ZHICHENG_ISSUE_JOB_PROCESSES = int(os.environ.get("ZHICHENG_ISSUE_JOB_PROCESSES", "0") or "0") or (
    os.cpu_count() or 1
)
# Where the certificates' QR codes point (/verify/). Unset: the address that served the issuing
# request (`make run` sets it from HOST and PORT for the demo data); set it in production.
ZHICHENG_PUBLIC_URL = os.environ.get("ZHICHENG_PUBLIC_URL", "")

# 证书报送人社部 (1.18): where the outbox worker POSTs the certificate records (JSON, header
# ``Idempotency-Key: <证书编号>:<issue|revoke>``). Unset under DEBUG: the project's simulator
# (``manage.py national_simulator``, port 8765); unset in production: nothing is sent, the rows
# wait 待上报. A row is 失败 after ZHICHENG_NATIONAL_MAX_ATTEMPTS attempts; between attempts
# the wait doubles from ZHICHENG_NATIONAL_BACKOFF_SECONDS up to ZHICHENG_NATIONAL_BACKOFF_MAX
# (with jitter). A row 上报中 longer than ZHICHENG_NATIONAL_LEASE_SECONDS (its worker died) is
# sent again — the idempotency key makes that safe. A worker POSTs up to
# ZHICHENG_NATIONAL_CONCURRENCY records at once, each thread over its own kept-alive connection.
ZHICHENG_NATIONAL_SIMULATOR_URL = "http://127.0.0.1:8765/certificates"
ZHICHENG_NATIONAL_URL = os.environ.get("ZHICHENG_NATIONAL_URL", "") or (
    ZHICHENG_NATIONAL_SIMULATOR_URL if DEBUG else ""
)
ZHICHENG_NATIONAL_TIMEOUT = float(os.environ.get("ZHICHENG_NATIONAL_TIMEOUT", "10"))
ZHICHENG_NATIONAL_MAX_ATTEMPTS = int(os.environ.get("ZHICHENG_NATIONAL_MAX_ATTEMPTS", "8"))
ZHICHENG_NATIONAL_BACKOFF_SECONDS = float(os.environ.get("ZHICHENG_NATIONAL_BACKOFF_SECONDS", "30"))
ZHICHENG_NATIONAL_BACKOFF_MAX = float(os.environ.get("ZHICHENG_NATIONAL_BACKOFF_MAX", "3600"))
ZHICHENG_NATIONAL_LEASE_SECONDS = int(os.environ.get("ZHICHENG_NATIONAL_LEASE_SECONDS", "300"))
ZHICHENG_NATIONAL_CONCURRENCY = int(os.environ.get("ZHICHENG_NATIONAL_CONCURRENCY", "4"))
FILE_UPLOAD_HANDLERS = [
    "zhicheng.common.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's token and session authentication, refusing accounts on a default password.
        "zhicheng.accounts.authentication.TokenAuthentication",
        "zhicheng.accounts.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        # 400 for a query value outside the enum the operation documents (?status=AAA).
        "zhicheng.common.api.DocumentedChoicesFilter",
    ],
    # Strict ?page= / ?page_size=: 400 for a malformed value instead of the first page.
    "DEFAULT_PAGINATION_CLASS": "zhicheng.common.api.Pagination",
    "PAGE_SIZE": 20,
    # OPTIONS also answers for a view without a serializer (no 500).
    "DEFAULT_METADATA_CLASS": "zhicheng.common.metadata.Metadata",
    # drf-spectacular's, plus every operation's error answers (400/401/403/404/413/415/429).
    "DEFAULT_SCHEMA_CLASS": "zhicheng.common.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "zhicheng.common.api.exception_handler",
}
# API tokens expire this many hours after they were issued (the token endpoint then issues a
# fresh one); a password change or reset and a deactivation revoke them at once.
ZHICHENG_TOKEN_TTL = timedelta(hours=float(os.environ.get("ZHICHENG_TOKEN_TTL_HOURS", "12")))
SPECTACULAR_SETTINGS = {
    "TITLE": "职称申报评审管理系统 API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No online validator badge: Swagger UI would fetch it from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # `check --deploy` is about deployment security; schema generation warnings (enum names,
    # type hints) are not, and are covered by common/tests/test_api_errors.py instead.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    # Request bodies get components of their own (no read-only fields; a required text field
    # is minLength 1, as the API refuses a blank one).
    "COMPONENT_SPLIT_REQUEST": True,
    # Bodies are documented as JSON (uploads declare multipart themselves); DRF's form parsers
    # stay for the browsable forms but are not the contract.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    # Named choice sets of newer resources (the older collisions keep their generated names).
    "ENUM_NAME_OVERRIDES": {
        "ExpertLevelEnum": "zhicheng.experts.models.ExpertLevel",
        "ExpertStatusEnum": "zhicheng.experts.models.ExpertStatus",
        "MeetingStatusEnum": "zhicheng.meetings.models.MeetingStatus",
        "VoteChoiceEnum": "zhicheng.meetings.models.VoteChoice",
        "CapLevelEnum": "zhicheng.meetings.models.CapLevel",
        "ObjectionStatusEnum": "zhicheng.filings.models.ObjectionStatus",
        "FilingStatusEnum": "zhicheng.filings.models.FilingStatus",
        "AchievementKindEnum": "zhicheng.achievements.models.AchievementKind",
        "ItemSourceEnum": "zhicheng.achievements.models.ItemSource",
    },
}

# --- Background jobs ------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "zhicheng",
        "url": REDIS_URL,
        "immediate": env_bool("HUEY_IMMEDIATE", False),
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "zhicheng",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": env_bool("HUEY_IMMEDIATE", False),
    }

# --- Audit ----------------------------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False

# --- Business limits ------------------------------------------------------------------------
IMPORT_MAX_BYTES = 10 * 1024 * 1024
IMPORT_MAX_ROWS = 50_000
# Exports of at least this many rows run as background jobs, from the pages and from the API
# (which then answers 202 with the job's URL); smaller ones are written in the request.
EXPORT_BACKGROUND_THRESHOLD = int(os.environ.get("ZHICHENG_EXPORT_BACKGROUND_ROWS", "10000"))
# A running export whose worker has not beaten its heartbeat for this long is shown as
# interrupted and re-queued by the job worker's watch (every minute).
EXPORT_STALL_SECONDS = int(os.environ.get("ZHICHENG_EXPORT_STALL_SECONDS", "60"))
# Work files of exports (xlsxwriter's row data, the workbook being written): never /tmp.
EXPORT_TMP_DIR = VAR_DIR / "tmp" / "exports"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHICHENG_LOG_LEVEL", "INFO")},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    if ZHICHENG_PROXY_COUNT > 0:
        # Behind a TLS-terminating proxy: trust its X-Forwarded-Proto, or SSL redirect loops.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# 单位内部公示 (units): a unit's approval of an application needs a finished internal publicity
# with its result uploaded. Off only in tests that predate it (see zhicheng/conftest.py).
ZHICHENG_UNIT_PUBLICITY_REQUIRED = os.environ.get("ZHICHENG_UNIT_PUBLICITY_REQUIRED", "1") != "0"
