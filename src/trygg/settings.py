"""Django settings, read from ``TRYGG_*`` environment variables.

Development (the default) keeps everything under ``var/``: an embedded SQLite database and
generated secrets. Production (``TRYGG_ENV=production``) refuses to start without its secrets.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("TRYGG_HOME", BASE_DIR.parent.parent)).resolve()
VAR_DIR = Path(os.environ.get("TRYGG_VAR_DIR", PROJECT_DIR / "var")).resolve()

ENV = os.environ.get("TRYGG_ENV", "development").strip().lower()
if ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"TRYGG_ENV must be 'development' or 'production', not {ENV!r}.")
PRODUCTION = ENV == "production"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def _development_secrets() -> dict[str, str]:
    """Secrets for a development machine, generated once and kept in ``var/``."""
    path = VAR_DIR / "dev-secrets.json"
    stored: dict[str, str] = {}
    if path.exists():
        stored = json.loads(path.read_text())
    changed = False
    for key in (
        "secret_key",
        "pin_pepper",
        "audit_key",
        "token_key",
        "telephony_key",
        "recording_key",
        "card_system_key",
    ):
        if key not in stored:
            stored[key] = secrets.token_urlsafe(48)
            changed = True
    if changed:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(stored, indent=2))
        path.chmod(0o600)
    return stored


def _required(name: str, fallback: str | None) -> str:
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if fallback is None:
        raise ImproperlyConfigured(
            f"{name} is not set. In production (TRYGG_ENV=production) trygg does not start without "
            f"it; set it in the service's environment."
        )
    return fallback


_dev = {} if PRODUCTION else _development_secrets()
SECRET_KEY = _required("TRYGG_SECRET_KEY", _dev.get("secret_key"))
PIN_PEPPER = _required("TRYGG_PIN_PEPPER", _dev.get("pin_pepper"))
TRYGG_PIN_PEPPER = PIN_PEPPER
TRYGG_AUDIT_KEY = _required("TRYGG_AUDIT_KEY", _dev.get("audit_key"))
# Encrypts security tokens' seeds at rest (Fernet, a key derived from this secret).
TRYGG_TOKEN_KEY = _required("TRYGG_TOKEN_KEY", _dev.get("token_key"))
if PRODUCTION and (
    len(SECRET_KEY) < 50 or min(len(PIN_PEPPER), len(TRYGG_AUDIT_KEY), len(TRYGG_TOKEN_KEY)) < 32
):
    raise ImproperlyConfigured(
        "TRYGG_SECRET_KEY must be at least 50 characters; TRYGG_PIN_PEPPER, TRYGG_AUDIT_KEY and "
        "TRYGG_TOKEN_KEY at least 32."
    )


def _platform_keys(setting: str, dev_secret: str) -> dict[str, str]:
    """``name:key,name:key`` in the environment variable ``setting``: each outside platform's
    name (in the audit log of what it does) and its key. Production: none unless configured (the
    platform's endpoints then refuse every call); development: one generated key named ``dev``."""
    default = "" if PRODUCTION else f"dev:{_dev.get(dev_secret, '')}"
    keys: dict[str, str] = {}
    for item in (part.strip() for part in os.environ.get(setting, default).split(",")):
        if not item:
            continue
        name, sep, key = item.partition(":")
        name, key = name.strip(), key.strip()
        if not sep or not name or not key:
            raise ImproperlyConfigured(f"{setting} is a comma-separated list of name:key pairs.")
        if name in keys:
            raise ImproperlyConfigured(f"{setting} names {name!r} twice.")
        if len(key) < 32:
            raise ImproperlyConfigured(
                f"{setting}: the key of platform {name!r} must be at least 32 characters."
            )
        keys[name] = key
    return keys


# The outside platforms that call trygg's API, each kind with its own keys and header
# (trygg.identity.auth.PlatformKeyAuth): the telephony platforms (IVR, agents' desktops) on the
# telephone bank's and the blocking line's endpoints (X-Telephony-Key), the call-recording
# platform on the recorded interactions' intake (X-Recording-Key) and the door card system on
# the door passages' intake (X-Card-System-Key).
TRYGG_TELEPHONY_KEYS = _platform_keys("TRYGG_TELEPHONY_KEYS", "telephony_key")
TRYGG_RECORDING_KEYS = _platform_keys("TRYGG_RECORDING_KEYS", "recording_key")
TRYGG_CARD_SYSTEM_KEYS = _platform_keys("TRYGG_CARD_SYSTEM_KEYS", "card_system_key")

DEBUG = _env_bool("TRYGG_DEBUG", not PRODUCTION)
if PRODUCTION:
    ALLOWED_HOSTS = [
        h.strip() for h in _required("TRYGG_ALLOWED_HOSTS", None).split(",") if h.strip()
    ]
else:
    ALLOWED_HOSTS = [
        h.strip()
        for h in os.environ.get(
            "TRYGG_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver"
        ).split(",")
        if h.strip()
    ]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("TRYGG_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "trygg.web.admin_apps.TryggAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "trygg.web.admin_apps.TotpDevicesConfig",  # django_otp.plugins.otp_totp
    "trygg.web.admin_apps.BackupCodesConfig",  # django_otp.plugins.otp_static
    "django_htmx",
    "django_tasks",
    "trygg.web.admin_apps.BackgroundTasksConfig",  # django_tasks_db
    "ninja",  # the API documentation's template and static files (trygg.api.docs)
    "trygg.kernel",
    "trygg.parties",
    "trygg.identity",
    "trygg.banking",
    "trygg.insurance",
    "trygg.claims",
    "trygg.billing",
    "trygg.protection",
    "trygg.contact",
    "trygg.overview",
    "trygg.privacy",
    "trygg.web",
    "trygg.api",
]

MIDDLEWARE = [
    "trygg.privacy.guard.GuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "trygg.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "trygg.web.middleware.SessionTimeoutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "trygg.web.middleware.CustomerMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "trygg.urls"
WSGI_APPLICATION = "trygg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The back office's base_site.html, which must come before the admin app's own.
        "DIRS": [BASE_DIR / "web" / "templates" / "before_admin"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trygg.web.context.portal",
            ],
            # Constant {% translate %} and {% url %} tags render once per language. Django warns
            # of the replaced library (templates.W003); trygg.kernel.checks warns of any other.
            "libraries": {"i18n": "trygg.kernel.templatetags.constant_tags"},
            "builtins": [
                "trygg.kernel.templatetags.constant_builtins",
                "trygg.kernel.templatetags.numbers",
            ],
        },
    },
]
SILENCED_SYSTEM_CHECKS = ["templates.W003"]  # in its place trygg.W003 (trygg.kernel.checks)

# Database: SQLite under var/ unless TRYGG_DATABASE_URL names another (PostgreSQL in production).
DATABASE_URL = os.environ.get("TRYGG_DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "trygg.sqlite3"),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN
    # so that read-then-write transactions (audit chain, counters) never deadlock.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and _env_bool(
    "TRYGG_DB_PREPARED_STATEMENTS", True
):
    # Parameters travel apart from the statement, so psycopg prepares a statement that a
    # connection has run five times (the same reads behind every page): PostgreSQL parses and
    # plans it once. Turn off behind a pooler in transaction mode that cannot keep them.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "identity.StaffUser"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "web:login"

# Sessions: server-side, ended by log-out; idle and absolute limits enforced by middleware.
SESSION_ENGINE = "trygg.identity.session_store"
SESSION_COOKIE_NAME = "trygg_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = _env_int("TRYGG_SESSION_ABSOLUTE_SECONDS", 60 * 60)
TRYGG_SESSION_IDLE_SECONDS = _env_int("TRYGG_SESSION_IDLE_SECONDS", 5 * 60)
TRYGG_SESSION_ABSOLUTE_SECONDS = SESSION_COOKIE_AGE
CSRF_COOKIE_NAME = "trygg_csrftoken"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "trygg.web.views.csrf_failure"

# PIN hashing: argon2id over an HMAC-SHA256 pepper. Parameters per RFC 9106's second recommended
# option (64 MiB, t=3) in production; lighter ones may be set for test machines.
TRYGG_ARGON2_TIME_COST = _env_int("TRYGG_ARGON2_TIME_COST", 3)
TRYGG_ARGON2_MEMORY_KIB = _env_int("TRYGG_ARGON2_MEMORY_KIB", 64 * 1024)
TRYGG_ARGON2_PARALLELISM = _env_int("TRYGG_ARGON2_PARALLELISM", 1)
TRYGG_MAX_FAILED_LOGINS = 5

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("TRYGG_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Internationalisation: Swedish first, Norwegian Bokmål and English.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("nb", "Norsk bokmål"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "trygg_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = os.environ.get("TRYGG_TIME_ZONE", "Europe/Stockholm")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Recorded interactions and exported footage (contact): a folder, or S3-compatible object
    # storage through django-storages when TRYGG_RECORDINGS_S3_BUCKET is set (with
    # TRYGG_RECORDINGS_S3_ENDPOINT for a non-AWS store and the usual AWS_* credentials).
    "recordings": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ["TRYGG_RECORDINGS_S3_BUCKET"],
                "endpoint_url": os.environ.get("TRYGG_RECORDINGS_S3_ENDPOINT") or None,
                "region_name": os.environ.get("TRYGG_RECORDINGS_S3_REGION") or None,
                "file_overwrite": False,
                "default_acl": None,
                "querystring_auth": True,
            },
        }
        if os.environ.get("TRYGG_RECORDINGS_S3_BUCKET")
        else {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {
                "location": os.environ.get("TRYGG_RECORDINGS_DIR", str(VAR_DIR / "recordings"))
            },
        }
    ),
    "staticfiles": {
        "BACKEND": (
            "trygg.web.staticfiles.ManifestStaticStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "documents"

# Progress of background jobs, written by the worker and read by the page that shows it; a
# directory both reach (set TRYGG_PROGRESS_DIR to a shared one when they run on separate hosts).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "progress": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("TRYGG_PROGRESS_DIR", str(VAR_DIR / "progress")),
    },
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TRYGG_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Local time of day at which the worker does the daily work (the retention run), HH:MM.
TRYGG_DAILY_AT = os.environ.get("TRYGG_DAILY_AT", "02:30")

# Business clock: a fixed business date for batch runs and tests (ISO date), else today.
TRYGG_BUSINESS_DATE = os.environ.get("TRYGG_BUSINESS_DATE", "").strip() or None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TRYGG_LOG_LEVEL", "WARNING")},
}

EMAIL_BACKEND = os.environ.get(
    "TRYGG_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
OTP_TOTP_ISSUER = "trygg"

# BankID (Relying Party API v6.0). Development talks to the local simulator; production to
# BankID with the relying party's certificate. An empty TRYGG_BANKID_URL turns BankID off.
TRYGG_BANKID_URL = os.environ.get(
    "TRYGG_BANKID_URL",
    "https://appapi2.bankid.com/rp/v6.0" if PRODUCTION else "http://127.0.0.1:8081",
).strip()
TRYGG_BANKID_CERT = os.environ.get("TRYGG_BANKID_CERT", "").strip() or None
TRYGG_BANKID_KEY = os.environ.get("TRYGG_BANKID_KEY", "").strip() or None
TRYGG_BANKID_CA = os.environ.get("TRYGG_BANKID_CA", "").strip() or None
if TRYGG_BANKID_URL.startswith("https://") and not (TRYGG_BANKID_CERT and TRYGG_BANKID_KEY):
    raise ImproperlyConfigured(
        "TRYGG_BANKID_CERT and TRYGG_BANKID_KEY (the relying party certificate and key, PEM) "
        "are needed for BankID at " + TRYGG_BANKID_URL + "; set TRYGG_BANKID_URL='' to turn "
        "BankID off."
    )
TRYGG_BANKID_SIMULATOR = TRYGG_BANKID_URL.startswith("http://127.0.0.1")
TRYGG_COMPANY_NAME = os.environ.get("TRYGG_COMPANY_NAME", "Trygg Försäkring och Bank")
# The company as every letter and page footer names it (trygg.kernel.letterhead): postal
# address, organisation number, customer service's phone and its opening hours on weekdays.
TRYGG_COMPANY_STREET = os.environ.get("TRYGG_COMPANY_STREET", "Box 1234")
TRYGG_COMPANY_POSTAL_CODE = os.environ.get("TRYGG_COMPANY_POSTAL_CODE", "111 23")
TRYGG_COMPANY_CITY = os.environ.get("TRYGG_COMPANY_CITY", "Stockholm")
TRYGG_COMPANY_ORGANISATION_NUMBER = os.environ.get(
    "TRYGG_COMPANY_ORGANISATION_NUMBER", "559900-1236"
)
TRYGG_COMPANY_PHONE = os.environ.get("TRYGG_COMPANY_PHONE", "08-123 456 00")
TRYGG_COMPANY_OPENING_HOURS = os.environ.get("TRYGG_COMPANY_OPENING_HOURS", "08.00–17.00")

# Data subject requests (decision 0040): a further copy within a year costs the administrative
# fee of GDPR Art. 15(3) (the first of the year is free, seed 001); an answered copy can be
# downloaded from My pages for this many days.
TRYGG_PRIVACY_COPY_FEE = os.environ.get("TRYGG_PRIVACY_COPY_FEE", "150.00")
TRYGG_PRIVACY_EXPORT_DAYS = int(os.environ.get("TRYGG_PRIVACY_EXPORT_DAYS", "30"))
# Where a rectification is told to a recipient of the data (GDPR Art. 19, decision 0099): the
# e-mail of its data protection contact by the register's recipient key, replacing the
# register's own (fictitious) address; an empty address means the recipient cannot be told.
# From the environment as JSON, e.g. {"bankgirot": "dataskydd@bankgirot.se"}.
TRYGG_PRIVACY_NOTICE_ADDRESSES: dict[str, str] = json.loads(
    os.environ.get("TRYGG_PRIVACY_NOTICE_ADDRESSES", "{}")
)

# Premium billing by autogiro: the insurer's bankgiro number and Bankgirot customer number, and
# the directory files are exchanged through (to_bankgirot/ and from_bankgirot/; the local
# Bankgirot simulator reads and writes the same directory).
TRYGG_BANKGIRO = os.environ.get("TRYGG_BANKGIRO", "9912346").strip()
TRYGG_BGC_CUSTOMER = os.environ.get("TRYGG_BGC_CUSTOMER", "471117").strip()
TRYGG_BANKGIROT_DIR = Path(os.environ.get("TRYGG_BANKGIROT_DIR", VAR_DIR / "bankgirot")).resolve()
# Backups (`trygg backup`): the folder they are written to; versions older than 13 months are
# deleted after each backup (seed 002).
TRYGG_BACKUP_DIR = Path(os.environ.get("TRYGG_BACKUP_DIR", VAR_DIR / "backups")).resolve()
# Intrusion and overload protection (trygg.privacy.guard, seed 002): the vendors' list of reported
# addresses (one address or CIDR network a line; `trygg blocklist FILE` checks and installs one),
# how often the file is looked at for a change, and the rate limits as COUNT/SECONDS per client
# address and per identity number on the log-in paths ("0" turns a limit off; off by default outside
# production, where tests and the demo send many requests from one address). Behind a reverse
# proxy, name it in TRYGG_TRUSTED_PROXIES: the client is then the last address it forwards.
TRYGG_BLOCKLIST_FILE = os.environ.get("TRYGG_BLOCKLIST_FILE", str(VAR_DIR / "blocklist.txt"))
TRYGG_BLOCKLIST_CHECK_SECONDS = float(os.environ.get("TRYGG_BLOCKLIST_CHECK_SECONDS", "1"))
TRYGG_RATE_LIMIT_CLIENT = os.environ.get("TRYGG_RATE_LIMIT_CLIENT", "600/60" if PRODUCTION else "0")
TRYGG_RATE_LIMIT_IDENTITY = os.environ.get(
    "TRYGG_RATE_LIMIT_IDENTITY", "10/600" if PRODUCTION else "0"
)
TRYGG_TRUSTED_PROXIES = tuple(
    p.strip() for p in os.environ.get("TRYGG_TRUSTED_PROXIES", "").split(",") if p.strip()
)
TRYGG_LOGIN_PATHS = (
    "/login/",
    "/login/token/",
    "/login/password/",
    "/login/password/setup/",
    "/api/v1/auth/login",
)
# Outside production `trygg run` answers the outbox with the local Bankgirot simulator; in
# production a file transfer client (Bankgirot Connect) moves the files of the same directory.
TRYGG_BANKGIROT_SIMULATOR = _env_bool("TRYGG_BANKGIROT_SIMULATOR", not PRODUCTION)

# Letters by post: the print-and-post service that prints, posts and tracks them. TRYGG_POST is
# JSON {"url": "https://...", "key": "...", "timeout": 10}; outside production the local
# simulator answers.
TRYGG_POST_SIMULATOR_PORT = _env_int("TRYGG_POST_SIMULATOR_PORT", 8083)
TRYGG_POST: dict[str, object] = json.loads(
    os.environ.get("TRYGG_POST", "").strip()
    or (
        "{}"
        if PRODUCTION
        else json.dumps(
            {
                "url": f"http://127.0.0.1:{TRYGG_POST_SIMULATOR_PORT}",
                "key": "development",
                "timeout": 5,
            }
        )
    )
)

# Protection service: the issuers' blocking services. TRYGG_ISSUERS is JSON, one entry per
# service named in the issuer directory: {"name": {"url": "https://...", "key": "...",
# "timeout": 10}}. Outside production the local issuer simulator answers every issuer.
TRYGG_ISSUER_SIMULATOR_PORT = _env_int("TRYGG_ISSUER_SIMULATOR_PORT", 8082)
TRYGG_ISSUERS: dict[str, dict[str, object]] = json.loads(
    os.environ.get("TRYGG_ISSUERS", "").strip()
    or (
        "{}"
        if PRODUCTION
        else json.dumps(
            {
                "simulator": {
                    "url": f"http://127.0.0.1:{TRYGG_ISSUER_SIMULATOR_PORT}",
                    "key": "development",
                    "timeout": 5,
                }
            }
        )
    )
)

# Contact: the signed link in a survey to object to direct marketing is valid this many days
# (a survey answered or objected to months later is still honoured through My pages or customer
# service). Recorded interactions are stored in the storage "recordings" (STORAGES above;
# TRYGG_RECORDINGS_DIR for its folder).
TRYGG_OBJECTION_LINK_DAYS = _env_int("TRYGG_OBJECTION_LINK_DAYS", 90)

# Satisfaction surveys and notices by SMS go through an HTTP SMS gateway (the 46elks API);
# outside production to the local simulator (`python -m trygg.simulators.sms`). E-mail goes
# through EMAIL_BACKEND (SMTP in production; `python -m trygg.simulators.smtp` is a local sink).
TRYGG_SMS_URL = os.environ.get(
    "TRYGG_SMS_URL", "https://api.46elks.com" if PRODUCTION else "http://127.0.0.1:8084"
)
TRYGG_SMS_USER = os.environ.get("TRYGG_SMS_USER", "" if PRODUCTION else "dev")
TRYGG_SMS_PASSWORD = os.environ.get("TRYGG_SMS_PASSWORD", "" if PRODUCTION else "dev")
TRYGG_SMS_FROM = os.environ.get("TRYGG_SMS_FROM", "trygg")
# The public address of the portal, for links in messages (surveys, objections).
TRYGG_PUBLIC_URL = os.environ.get("TRYGG_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
TRYGG_SURVEY_ANSWER_DAYS = _env_int("TRYGG_SURVEY_ANSWER_DAYS", 30)
