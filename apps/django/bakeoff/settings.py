"""Production settings for the shop API. What varies comes from the environment
(apps/contract/RULES.md §7)."""

import os
import socket
from urllib.parse import unquote, urlsplit

from django.core.management.utils import get_random_secret_key

# Nothing here is signed (no sessions, no auth, no signed cookies), so a key made at
# start-up is enough; set DJANGO_SECRET_KEY once something comes to depend on it.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or get_random_secret_key()

DEBUG = False


def _own_names() -> list[str]:
    """Loopback, and this host's name and addresses: a client that reaches the app by IP
    and port (a published port, or the container's address on its network) sends one of
    them as Host. DJANGO_ALLOWED_HOSTS replaces the list (comma-separated)."""
    names = ["localhost", "127.0.0.1", "[::1]", socket.gethostname()]
    try:
        names += socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        pass
    return names


_hosts = os.environ.get("DJANGO_ALLOWED_HOSTS")
ALLOWED_HOSTS = _hosts.split(",") if _hosts else _own_names()

INSTALLED_APPS = [
    "django.contrib.postgres",  # SearchQuery, SearchRank, SearchVectorField
    "shop",
]

# No sessions, auth, messages or clickjacking middleware: the API has no users, cookies
# or pages. CSRF stays on for the project; the API views opt out (shop.errors.allow).
MIDDLEWARE = [
    "shop.middleware.AccessLogMiddleware",  # outermost: times and logs everything below
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "shop.errors.ApiErrorMiddleware",
]

ROOT_URLCONF = "bakeoff.urls"
WSGI_APPLICATION = "bakeoff.wsgi.application"

# DATABASE_URL is postgres://user:password@host:port/database.
_db = urlsplit(os.environ["DATABASE_URL"])
# Each gunicorn thread holds at most one connection, so the pool matches the threads
# (gunicorn.conf.py reads the same variable).
DB_POOL_SIZE = int(os.environ.get("DB_POOL_SIZE") or 10)

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(_db.path.lstrip("/")),
        "USER": unquote(_db.username or ""),
        "PASSWORD": unquote(_db.password or ""),
        "HOST": _db.hostname or "",
        "PORT": _db.port or "",
        "OPTIONS": {
            # psycopg's pool, one per worker process, opened by the first request: the
            # app starts while the database is down. A request waits at most 5 s for a
            # connection; then the database counts as unavailable (503).
            "pool": {"min_size": DB_POOL_SIZE, "max_size": DB_POOL_SIZE, "timeout": 5},
            "connect_timeout": 5,
        },
    }
}

USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = False

# `manage.py check --deploy` asks for what a site with pages and cookies served over TLS
# needs. This API serves JSON only, sets no cookies, and TLS ends in front of it.
SILENCED_SYSTEM_CHECKS = [
    "security.W002",  # X-Frame-Options: nothing here renders in a frame
    "security.W004",  # HSTS: set by the TLS terminator
    "security.W008",  # SSL redirect: likewise
    "security.W016",  # CSRF cookie: never set (every view is csrf_exempt)
]

# A body over 100 KiB is 413 (RULES.md §1): `request.body` raises RequestDataTooBig when
# Content-Length says more, before reading it (a chunked body: bakeoff/wsgi.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 100 * 1024

# The access log (RULES.md §8): one JSON line per request on stdout, written by
# shop.middleware through python-json-logger; a 5xx line carries its error (a 500's
# with its stack trace). django.request would log every 5xx a second time, on stderr:
# it is left at CRITICAL. Anything else at WARNING or above goes to stderr.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "shop.middleware.AccessLogFormatter",
            "fmt": "%(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.request": {"level": "CRITICAL"},
        "shop.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}
