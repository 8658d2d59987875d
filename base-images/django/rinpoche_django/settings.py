"""Django settings read from environment variables; an app starts its settings with
`from rinpoche_django.settings import *` and adds ROOT_URLCONF and its INSTALLED_APPS.

Every variable is listed in the image's README.md. Bad or missing values raise
ImproperlyConfigured at import, so a misconfigured container stops at start-up with the reason.
"""

import sys as _sys

from rinpoche_django import env as _env

# Django's `test` command builds its own databases and needs no real secret; everything else does.
_RUNNING_TESTS = _sys.argv[1:2] == ["test"]

DEBUG = _env.flag("DJANGO_DEBUG")
SECRET_KEY = _env.secret("DJANGO_SECRET_KEY")
if SECRET_KEY is None and (DEBUG or _RUNNING_TESTS):
    SECRET_KEY = "insecure-only-for-debug-and-tests"
_env.required("DJANGO_SECRET_KEY", SECRET_KEY, "(or DJANGO_SECRET_KEY_FILE); only DJANGO_DEBUG=1 and `manage.py test` run without")

ALLOWED_HOSTS = _env.items("DJANGO_ALLOWED_HOSTS", "*")
CSRF_TRUSTED_ORIGINS = _env.items("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# The version this image was built as, shown by the health check (and by apps that want it).
APP_VERSION = _env.text("APP_VERSION", "dev")
HEALTHCHECK_PATH = _env.text("HEALTHCHECK_PATH", "/healthz")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

# The health check comes first: it answers before the host check and sessions, so Docker's
# HEALTHCHECK (Host: 127.0.0.1) works whatever DJANGO_ALLOWED_HOSTS says.
# WhiteNoise comes right after SecurityMiddleware, as its documentation asks.
MIDDLEWARE = [
    "rinpoche_django.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_ENGINE = _env.choice("DATABASE_ENGINE", "mysql", ("mysql", "sqlite"))
if DATABASE_ENGINE == "sqlite":
    # For tests and trying an app out; /tmp because /app belongs to root.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _env.text("DATABASE_NAME", "/tmp/db.sqlite3"),
        }
    }
else:
    _why = "with DATABASE_ENGINE=mysql (DATABASE_ENGINE=sqlite needs no database server)"
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "HOST": _env.required("DATABASE_HOST", _env.text("DATABASE_HOST"), _why),
            "PORT": _env.integer("DATABASE_PORT", 3306),
            "NAME": _env.required("DATABASE_NAME", _env.text("DATABASE_NAME"), _why),
            "USER": _env.required("DATABASE_USER", _env.text("DATABASE_USER"), _why),
            "PASSWORD": _env.secret("DATABASE_PASSWORD", ""),
            # Reuse connections across requests, but check them first after an error.
            "CONN_MAX_AGE": _env.integer("DATABASE_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "charset": "utf8mb4",
                # A database that does not answer must fail a request (and /healthz) fast.
                "connect_timeout": _env.integer("DATABASE_CONNECT_TIMEOUT", 3),
            },
            "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    }

CACHE_BACKEND = _env.choice("CACHE_BACKEND", "redis", ("redis", "locmem", "dummy"))
if CACHE_BACKEND == "redis":
    _why = "with CACHE_BACKEND=redis (CACHE_BACKEND=locmem needs no Redis)"
    # REDIS_USER: an ACL user (the platform gives each app one, limited to keys under CACHE_KEY_PREFIX);
    # the default user when unset. The password stays out of the URL (OPTIONS below).
    _redis = "redis://{}{}:{}/{}".format(
        _env.text("REDIS_USER", "") and _env.text("REDIS_USER") + "@",
        _env.required("REDIS_HOST", _env.text("REDIS_HOST"), _why),
        _env.integer("REDIS_PORT", 6379),
        _env.integer("REDIS_DB", 0),
    )
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": _redis,
            "KEY_PREFIX": _env.text("CACHE_KEY_PREFIX", ""),
            "OPTIONS": {
                # In OPTIONS rather than the URL, so any character works without escaping.
                "PASSWORD": _env.secret("REDIS_PASSWORD"),
                # A Redis that is down must not hang requests or the health check.
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
elif CACHE_BACKEND == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

# collectstatic writes to STATIC_ROOT (a volume nginx can serve read-only at STATIC_URL);
# WhiteNoise serves the same files from the app process, gzipped copies included.
# URL_PREFIX: the path prefix nginx serves the app under (app.yaml `prefix`). nginx strips it from the request,
# so the URLs resolve as without it; Django adds it to the links it writes (reverse, redirects, static files).
URL_PREFIX = _env.text("URL_PREFIX", "").rstrip("/")
FORCE_SCRIPT_NAME = URL_PREFIX or None
STATIC_URL = _env.text("STATIC_URL", URL_PREFIX + "/static/")
STATIC_ROOT = _env.text("STATIC_ROOT", "/srv/static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = _env.text("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Everything to stdout, where `docker logs` finds it.
_LOG_LEVEL = _env.text("DJANGO_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "plain"},
    },
    "root": {"handlers": ["stdout"], "level": _LOG_LEVEL},
    "loggers": {"django": {"handlers": ["stdout"], "level": _LOG_LEVEL, "propagate": False}},
}
