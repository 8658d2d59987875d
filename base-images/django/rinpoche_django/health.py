"""GET /healthz (HEALTHCHECK_PATH): is this process able to serve - database and cache included?

Answers 200 {"status": "ok", "version": ..., "db": "ok", "cache": "ok"}, or 503 with
"status": "error" and the failing part as "error: <reason>". Docker's HEALTHCHECK, nginx and the
deploy service's health gate all read it.
"""

import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse


def check_db():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    # A random key: replicas checking at the same moment must not see each other's value.
    key, value = "rinpoche-health-" + uuid.uuid4().hex, "ok"
    cache = caches["default"]
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("value written was not read back")
    cache.delete(key)


def _outcome(check):
    try:
        check()
        return "ok"
    except Exception as e:  # any failure is the answer here, reported not raised
        return f"error: {type(e).__name__}: {e}".strip()


def report():
    """The health report as (HTTP status, body)."""
    parts = {"db": _outcome(check_db), "cache": _outcome(check_cache)}
    healthy = all(value == "ok" for value in parts.values())
    body = {"status": "ok" if healthy else "error", "version": settings.APP_VERSION, **parts}
    return (200 if healthy else 503), body


class HealthCheckMiddleware:
    """Answers HEALTHCHECK_PATH itself, before host checks, sessions and the app's URLs."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.path = getattr(settings, "HEALTHCHECK_PATH", "/healthz")

    def __call__(self, request):
        # path_info: without URL_PREFIX (FORCE_SCRIPT_NAME), which nginx strips before the request gets here.
        if request.path_info != self.path:
            return self.get_response(request)
        status, body = report()
        response = JsonResponse(body, status=status)
        response["Cache-Control"] = "no-store"
        return response
