"""Settings for the portal, read from the environment.

Every variable is listed in docs/configuration.md. Safe defaults: debug is off unless
DJANGO_DEBUG is set, and without debug a missing DJANGO_SECRET_KEY stops the start-up instead
of using a default.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from core.clients import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    """A yes/no variable: 1, true, yes or on (any case) is yes; unset or empty is the default."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string, "
            "or set DJANGO_DEBUG=1 for local development only."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "ninja",  # the API's docs page served from the portal's own static files (portal.api)
    "django.contrib.postgres",  # full-text search and trigram lookups on PostgreSQL
    "django_filters",
    "axes",
    "import_export",
    "reversion",  # history and restore of what editors change (core.history)
    # Layers, bottom up: the library, the apps, the project's top (docs/architecture.md, "Layout").
    "core",
    "search",
    "programs",
    "reviews",
    "careers",
    "portal",
]

MIDDLEWARE = [
    # First: every record logged while a request runs names it (portal.requestlog).
    "portal.requestlog.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the address or the cookies: a NUL byte in them is a 400.
    "portal.middleware.BadRequestMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what everything below made (brotli or gzip), last on the way out.
    "portal.middleware.CompressionMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # An ETag the same for every visitor, and 304 for a revisit (fresh and stored pages alike).
    "portal.middleware.ValidatorMiddleware",
    # A stored page is answered from process_view, so every middleware here, above and below,
    # treats it exactly as a freshly rendered one (headers, CSRF cookie, messages).
    "portal.middleware.PublicPageCacheMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

# Form widgets drawn by Jinja2 from Django's own widget templates (core.renderers).
FORM_RENDERER = "core.renderers.WidgetRenderer"

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
                "portal.context_processors.comparison_tray",
                "portal.context_processors.seo",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# The embedded default is a SQLite file under var/ (ignored by git); production sets DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE transactions take the write lock
    # up front, so two writers queue on busy_timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
        ),
    }
    (BASE_DIR / "var").mkdir(exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis, shared by every server process, when REDIS_URL is set; otherwise memory local
# to one process (enough for `make run`). A Redis outage makes the site slower, never broken.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if os.environ.get("DJANGO_CACHE", "").lower() == "none":
    # No caching at all: for measuring what the pages cost uncached (make bench).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": int(os.environ.get("DJANGO_CACHE_TIMEOUT", 600)),
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": int(os.environ.get("DJANGO_CACHE_TIMEOUT", 600)),
        }
    }

# New whole pages the cache takes per content version and 5 minutes (core.cache.admit_page).
PAGE_CACHE_MAX_NEW = int(os.environ.get("DJANGO_PAGE_CACHE_MAX_NEW", 3000))

# Security. Production defaults; each can be relaxed by its variable (tests and `make run` do).
SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
if env_flag("DJANGO_BEHIND_PROXY"):
    # The proxy terminates TLS and says so in X-Forwarded-Proto; trust it only behind one.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_flag("DJANGO_SECURE_COOKIES", default=not DEBUG)
# Database sessions that remember which keys a page read, so the page cache can serve a
# visitor with a session whatever their session does not change (core.sessions).
SESSION_ENGINE = "core.sessions"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_flag("DJANGO_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Features no page of the portal uses, refused for the page and anything it could embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "browsing-topics=()"
)
# Addresses or networks of the proxies in front of the portal. Only a connection from one of
# them may say, in X-Forwarded-For, whom it forwards (core.clients); otherwise that header
# is ignored.
TRUSTED_PROXIES = parse_networks(env_list("DJANGO_TRUSTED_PROXIES"))
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# No inline script or style anywhere: everything comes from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Admin login: after 5 failures for one user from one address, a lock-out for 30 minutes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.clients.client_address"
AXES_LOCKOUT_TEMPLATE = "429.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise looks here before collectstatic
# Hashed, compressed file names served by WhiteNoise with far-future caching; needs
# `collectstatic` (make serve runs it). Tests and `make run` use plain names.
STATIC_MANIFEST = env_flag("DJANGO_STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# The portal serves MEDIA_ROOT itself (portal.views.media_file): right for one machine. With
# several, store uploads where all can read them and turn this off (docs/operations.md,
# "Uploaded files").
SERVE_MEDIA = env_flag("DJANGO_SERVE_MEDIA", default=True)

# Uploaded logos: formats, bytes and pixels accepted (portal/images.py).
IMAGE_UPLOAD_MAX_BYTES = int(os.environ.get("DJANGO_IMAGE_UPLOAD_MAX_BYTES", 2 * 1024 * 1024))
IMAGE_UPLOAD_MAX_PIXELS = int(os.environ.get("DJANGO_IMAGE_UPLOAD_MAX_PIXELS", 4_000_000))

# Results per page on the public list pages (programs, careers, certifications).
LIST_PAGE_SIZE = 20
# Lists page through the first 50 pages (1,000 results) at most; filters narrow the rest.
LIST_MAX_PAGES = 50
# Filter options show how many results each would give while at most this many match: each
# count is an aggregate over the matching rows, dearer than the page itself past that.
LIST_FACET_COUNT_LIMIT = int(os.environ.get("DJANGO_FACET_COUNT_LIMIT", 10_000))
# A search ranks every match of a kind and keeps at most this many, the best (and one more,
# to know there are more): past it the page says "more than 100" (search.results.ranked).
SEARCH_CANDIDATES = int(os.environ.get("DJANGO_SEARCH_CANDIDATES", 100))

# Reviews: an average rating is shown only from this many approved reviews; this many open
# reports send an approved review back to the moderators; submissions allowed per address.
REVIEW_MIN_FOR_AVERAGE = int(os.environ.get("DJANGO_REVIEW_MIN_FOR_AVERAGE", 3))
REVIEW_REPORTS_TO_REQUEUE = int(os.environ.get("DJANGO_REVIEW_REPORTS_TO_REQUEUE", 3))
REVIEW_SUBMISSIONS_PER_HOUR = int(os.environ.get("DJANGO_REVIEW_SUBMISSIONS_PER_HOUR", 5))
# How long a representative's signed link works, and how many links one connection may ask
# for in an hour (programs.representatives).
REPRESENTATIVE_LINK_MAX_AGE = int(os.environ.get("DJANGO_REPRESENTATIVE_LINK_DAYS", 7)) * 24 * 3600
REPRESENTATIVE_LINKS_PER_HOUR = int(os.environ.get("DJANGO_REPRESENTATIVE_LINKS_PER_HOUR", 3))
# The sections a page's address can be in, as breadcrumbs name them (core.templatetags.pages).
SECTION_NAMES = {
    "programs": "Programs",
    "institutions": "Universities",
    "careers": "Careers",
    "certifications": "Certifications",
    "about": "How we source figures",
    "fit": "Will I get in?",
    "search": "Search",
    "reviews": "Reviews",
}
# The JSON API (portal.api): entries a page, and requests one address may make a minute.
API_PAGE_SIZE = 20
API_REQUESTS_PER_MINUTE = int(os.environ.get("DJANGO_API_REQUESTS_PER_MINUTE", 120))
# Corrections of facts from one connection in an hour (core.corrections).
CORRECTIONS_PER_HOUR = int(os.environ.get("DJANGO_CORRECTIONS_PER_HOUR", 10))
REVIEW_REPORTS_PER_HOUR = int(os.environ.get("DJANGO_REVIEW_REPORTS_PER_HOUR", 10))
REVIEW_RESENDS_PER_HOUR = int(os.environ.get("DJANGO_REVIEW_RESENDS_PER_HOUR", 3))
REVIEW_CONFIRMATION_MAX_AGE = 7 * 24 * 3600  # seconds a confirmation link stays valid
# Deadline reminders: requests accepted per address per hour; how long the confirmation link
# works (an unconfirmed address is deleted after that); the days before a deadline each
# reminder goes (programs.reminders).
REMINDER_REQUESTS_PER_HOUR = int(os.environ.get("DJANGO_REMINDER_REQUESTS_PER_HOUR", 5))
REMINDER_CONFIRMATION_MAX_AGE = 2 * 24 * 3600
REMINDER_DAYS_BEFORE = (30, 7)
REVIEWS_PER_PAGE = 10

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("DJANGO_EMAIL_USE_TLS")
# Seconds to wait for the mail server; a message not sent waits in the queue (core.mail).
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", 10))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "AI Degree Portal <noreply@localhost>"
)

# Logs: standard error, one line per record with the request's method, path, status and id
# (portal.requestlog); errors with their traceback. One access line per request at INFO.
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "portal.requestlog.RequestContextFilter"}},
    "formatters": {"line": {"()": "portal.requestlog.LineFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["request"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own handlers (mail to admins, console only in debug) are replaced by ours.
        "django": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        # runserver's own line per request repeats portal.access.
        "django.server": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "portal.access": {
            "handlers": ["stderr"],
            "level": os.environ.get("DJANGO_ACCESS_LOG_LEVEL", "INFO").upper(),
            "propagate": False,
        },
    },
}

# Editors' spreadsheet imports (core.spreadsheets, django-import-export): the largest file
# accepted, where an upload waits between its preview and its confirmation (MEDIA_ROOT, so
# every server process sees it), and who may import (change) or export (view) what.
IMPORT_MAX_BYTES = int(os.environ.get("DJANGO_IMPORT_MAX_BYTES", 5 * 1024 * 1024))
# What a file may hold, measured before it is read (core.spreadsheets.Budget): a small upload
# can unpack to gigabytes or hold millions of cells.
IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("DJANGO_IMPORT_MAX_UNPACKED_BYTES", 32 * 1024**2))
IMPORT_MAX_ROWS = int(os.environ.get("DJANGO_IMPORT_MAX_ROWS", 5_000))
IMPORT_MAX_COLUMNS = int(os.environ.get("DJANGO_IMPORT_MAX_COLUMNS", 500))
IMPORT_MAX_CELLS = int(os.environ.get("DJANGO_IMPORT_MAX_CELLS", 600_000))
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True

# The data-quality report (manage.py catalogue_report, admin): figures whose as-of date is
# older than this many months are listed to be checked again.
STALE_AFTER_MONTHS = int(os.environ.get("DJANGO_STALE_AFTER_MONTHS", 18))
