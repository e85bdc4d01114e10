"""Django settings, read from the environment (CONTRACT.md, "Configuration").

The embedded default needs nothing but Python: SQLite, the Huey queue and outgoing mail all
live in ``KLACHTEN_DATA_DIR``. ``DATABASE_URL``, ``REDIS_URL`` and ``EMAIL_URL`` move each of
them to a real service.
"""

from __future__ import annotations

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import dj_database_url

from klachten.config.env import env_bool, env_list

BASE_DIR = Path(__file__).resolve().parent.parent

DATA_DIR = Path(os.environ.get("KLACHTEN_DATA_DIR", "var")).resolve()
# "Created on first use" (CONTRACT.md): SQLite, uploads and the mail spool need it to exist.
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The configured key, or one generated once and kept in the data dir (safe local default)."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# Earlier keys, comma-separated, after changing SECRET_KEY: sessions, password-reset links and
# the customers' status links made with them keep working (#15: status links are derived
# from the key, never stored).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", default=[])
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "klachten.core",
    "klachten.accounts",
    "klachten.audit",
    "klachten.mail",
    "klachten.organisation",
    "klachten.ops",
    "klachten.customers",
    "klachten.complaints",
    "klachten.messaging",
    "klachten.privacy",
    "klachten.public",
    "klachten.reports",
    "klachten.auditing",
    "klachten.core.admin_site.KlachtenAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "ninja",
    # Last, so the security log's receivers run before axes marks a request as locked (#15).
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: ends idle and over-long sessions (#15, item 4).
    "klachten.accounts.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login refused for a lockout into the login page with its message (#15).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "klachten.config.urls"
WSGI_APPLICATION = "klachten.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # #17 item 2: {% url %} remembers what does not change (the project's templates
            # load klachten_i18n, whose {% translate %} does too).
            "builtins": ["klachten.core.fasttags_url"],
        },
    },
]


def _databases() -> dict[str, Any]:
    """PostgreSQL (or any dj-database-url) from ``DATABASE_URL``; SQLite in the data dir else."""
    if url := os.environ.get("DATABASE_URL"):
        database = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    else:
        database = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "klachten.sqlite3",
            # Keep each worker thread's connection: opening one (and its pragmas) per request
            # costs more than a whole page.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at the
        # start of a transaction, so two writers wait for each other instead of failing
        # half-way with "database is locked" (ARCHITECTURE.md).
        # The same backend, whose BEGIN IMMEDIATE takes the lock as soon as it is free
        # (klachten.core.sqlite, #17 item 5).
        database["ENGINE"] = "klachten.core.sqlite"
        # Tests get Django's in-memory SQLite database, as with Django's engine name (which
        # pytest-django looks for, and otherwise names a file "test_<path>").
        database.setdefault("TEST", {"NAME": ":memory:"})
        database["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # Every process — web and worker — reads a few indexed rows at a time: a 2 MB page
            # cache per connection (a web worker has one per thread, and SQLite's sorter spills
            # past the same size) and no memory map keep its memory flat in the size of the
            # database (#17 item 4: a 64 MB cache and a 1 GB map grew web workers to 176-396
            # MiB at 1M, 8 MB to 180; the operating system's file cache keeps the hot pages).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA cache_size=-2048; PRAGMA mmap_size=0;"
            ),
        }
    return {"default": database}


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.Staff"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# The lockout backend first: it refuses a locked name or address before a password is checked.
AUTHENTICATION_BACKENDS = [
    "klachten.accounts.lockout.LockoutBackend",
    # Django's ModelBackend, reading the signed-in staff member by a query compiled once.
    "klachten.accounts.backends.StaffBackend",
]
# ASVS 2.1.1: at least 12 characters.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A link to set a new password works once, for an hour (ASVS 2.5.x).
PASSWORD_RESET_TIMEOUT = 60 * 60

# Failed logins (#15, item 3; django-axes): after this many failures, each within the cool-off
# of the one before, the user name and the client address are each refused for the cool-off.
KLACHTEN_LOGIN_FAILURE_LIMIT = int(os.environ.get("KLACHTEN_LOGIN_FAILURE_LIMIT", "5"))
KLACHTEN_LOGIN_COOLOFF_MINUTES = int(os.environ.get("KLACHTEN_LOGIN_COOLOFF_MINUTES", "15"))
# Bad API tokens from one address within the cool-off before the API answers 429.
KLACHTEN_API_TOKEN_FAILURE_LIMIT = int(os.environ.get("KLACHTEN_API_TOKEN_FAILURE_LIMIT", "10"))
AXES_FAILURE_LIMIT = KLACHTEN_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=KLACHTEN_LOGIN_COOLOFF_MINUTES)
# Per name and per address, each on its own: guessing one account's password from many
# addresses, and many accounts' passwords from one address, are both stopped.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Further attempts while locked do not prolong the lockout, so the page's "over 15 minuten"
# holds; they are refused and logged all the same.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A login does not wipe the failures counted for its address: someone with an account of
# their own could otherwise clear the address's count between guesses at another's.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "klachten.accounts.lockout.lockout_response"
# The client's address as the public form's rate limit reads it (KLACHTEN_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "klachten.public.client.client_address"
AXES_ENABLE_ADMIN = False  # the Staff admin's "Vrijgeven" action and `klachten unlock` instead
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the security log (SecurityEvent)

# Sessions end after this many quiet minutes, and this many hours after login (#15, item 4).
KLACHTEN_SESSION_IDLE_MINUTES = int(os.environ.get("KLACHTEN_SESSION_IDLE_MINUTES", "120"))
KLACHTEN_SESSION_MAX_HOURS = int(os.environ.get("KLACHTEN_SESSION_MAX_HOURS", "12"))
# The cookie never outlives the longest session.
SESSION_COOKIE_AGE = KLACHTEN_SESSION_MAX_HOURS * 60 * 60
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read by a query compiled once (#17 item 2).
SESSION_ENGINE = "klachten.accounts.sessions"
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# A form sent with an expired page or without cookies: a calm page that says what to do.
CSRF_FAILURE_VIEW = "klachten.public.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Dutch first, English second (UX.md); every time is Europe/Amsterdam (PROCEDURE.md).
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "static/"
# ``klachten serve`` collects the static files here once per version (core/staticfiles.py);
# several installations of one version may share the folder.
STATIC_ROOT = Path(os.environ.get("KLACHTEN_STATIC_ROOT", DATA_DIR / "static")).resolve()
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "files"
# When they could not be collected (a full disk), ``serve`` has them served straight from the
# installed package: plain names instead of fingerprinted ones, nothing written.
STATIC_FROM_PACKAGE = env_bool("KLACHTEN_STATIC_FROM_PACKAGE", default=False)
WHITENOISE_USE_FINDERS = STATIC_FROM_PACKAGE
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if STATIC_FROM_PACKAGE
        else "klachten.core.staticfiles.StaticStorage"
    },
}

# The largest attachment to a complaint, in bytes (checked before it is stored).
ATTACHMENT_MAX_SIZE = int(os.environ.get("ATTACHMENT_MAX_SIZE", str(10 * 1024 * 1024)))

# The public form (/melding/): at most this many attachments, each at most this large, and
# at most this many reports per client address per window (a rate limit shared by every
# worker through the database).
PUBLIC_MAX_FILES = 3
PUBLIC_MAX_FILE_SIZE = min(5 * 1024 * 1024, ATTACHMENT_MAX_SIZE)
PUBLIC_RATE_LIMITS = ((60 * 60, 5), (24 * 60 * 60, 20))  # (seconds, reports)
# How many reverse proxies in front append to X-Forwarded-For: the client's address for the
# rate limit is then that many entries from its end. 0: REMOTE_ADDR is the client.
PROXY_COUNT = int(os.environ.get("KLACHTEN_PROXY_COUNT", "0"))

# The largest body Django reads; the API answers a larger one with a JSON 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The virus scanner every file from outside passes before it is stored (core/scanning.py):
# clamd's UNIX socket (unix:///run/clamav/clamd.ctl or the bare path) or tcp://host:port.
# Empty: scanning is off.
CLAMD_URL = os.environ.get("CLAMD_URL", "")


def _email() -> dict[str, Any]:
    """SMTP from ``EMAIL_URL`` (smtp://user:pass@host:port, smtps:// for TLS); else files."""
    url = os.environ.get("EMAIL_URL", "")
    if not url:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": DATA_DIR / "mail",
        }
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps", "submission"}:
        raise ValueError(
            f"EMAIL_URL moet beginnen met smtp://, smtps:// of submission://, niet {url!r}"
        )
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or {"smtp": 25, "smtps": 465, "submission": 587}[parts.scheme],
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": parts.scheme == "submission",
        "EMAIL_TIMEOUT": 30,
    }


globals().update(_email())
# The sender of every mail, staff and customers alike; customers read it, so R13 applies.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kerngroep <service@kerngroep.nl>")

# E-mail in (#13): the mailbox the worker reads (imaps://user:pass@host:993/INBOX; imap:// and
# imap+starttls:// too), and the address customers write to. Mails to customers carry it as
# Reply-To, so their answers land in the complaint's file. Empty: no mail is read, and replies
# go to the employee who wrote (R14).
INBOUND_MAIL_URL = os.environ.get("INBOUND_MAIL_URL", "")
INBOUND_MAIL_ADDRESS = os.environ.get("INBOUND_MAIL_ADDRESS", "") or (
    unquote(urlsplit(INBOUND_MAIL_URL).username or "")
    if "@" in unquote(urlsplit(INBOUND_MAIL_URL).username or "")
    else ""
)

# Where staff and customers reach this installation: the links in mails, letters, the
# regulation and the feeds. ``klachten serve`` sets it for its processes to the address it
# listens on, unless it is configured (core/management/commands/serve.py).
BASE_URL = os.environ.get("KLACHTEN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def _import_queue_library() -> None:
    """Import Huey's storage module without the drivers of stores this installation leaves
    unused.

    ``huey.storage`` imports redis and psycopg whenever they are installed — a tenth of a
    second, a fifth of the start of a short command such as ``klachten token create``
    (issue #10). Hidden while it loads, they are simply absent to Huey: its Redis storage
    is only used with ``REDIS_URL``, its PostgreSQL storage never (Django's own PostgreSQL
    backend imports psycopg itself when ``DATABASE_URL`` asks for it).
    """
    if "huey.storage" in sys.modules:
        return
    hidden = [
        name
        for name in ("psycopg", *(() if os.environ.get("REDIS_URL") else ("redis",)))
        if name not in sys.modules
    ]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment] # "import name" raises ImportError
    try:
        import huey.storage  # noqa: F401 - loaded once, now, without the hidden drivers
    finally:
        for name in hidden:
            sys.modules.pop(name, None)


def _huey() -> dict[str, Any]:
    """The background worker's queue: SQLite in the data dir, or Redis with ``REDIS_URL``."""
    common: dict[str, Any] = {
        "name": "klachten",
        "immediate": False,
        "utc": True,
        "consumer": {"workers": 2, "worker_type": "thread", "periodic": True},
    }
    if url := os.environ.get("REDIS_URL"):
        return {**common, "huey_class": "huey.RedisHuey", "connection": {"url": url}}
    return {
        **common,
        "huey_class": "klachten.core.queue.QueueHuey",
        "connection": {"filename": str(DATA_DIR / "queue.sqlite3")},
    }


_import_queue_library()
HUEY = _huey()

# What every worker must agree on (#15): a second-factor code used once is refused again, and
# the limits on guessing codes count across workers. Redis when configured, else files in the
# data dir, which every process of the installation shares.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": "klachten",
    }
    if os.environ.get("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},  # no progress lines for every PDF
        # Logins and lockouts are in the security log (SecurityEvent); axes says each again.
        "axes": {"level": "ERROR"},
        # Configured here, so the worker does not add a second handler of its own. Its INFO
        # lines ("Executing …" for every periodic task, every minute) would bury what
        # `klachten serve` prints, such as the one-time set-up link; failures still show.
        "huey": {
            "handlers": ["console"],
            "level": "DEBUG" if os.environ.get("LOG_LEVEL") == "DEBUG" else "WARNING",
            "propagate": False,
        },
    },
}

# Security headers, HTTPS and cookies from the environment (#15): klachten.config.security.
from klachten.config.security import *  # noqa: E402, F403

# How staff sign in: single sign-on and the second factor (#15): klachten.config.signin.
from klachten.config.signin import *  # noqa: E402, F403
