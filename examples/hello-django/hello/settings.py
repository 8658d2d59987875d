"""hello-django settings: everything comes from the environment through the base image's helper."""
import os

from rinpoche_django.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "counter"]  # noqa: F405
ROOT_URLCONF = "hello.urls"
WSGI_APPLICATION = "hello.wsgi.application"

# FAIL_PERCENT (0 to 100, default 0): that share of requests answer 500 (hello/failures.py). The health check, which
# the base's middleware answers first, never fails.
FAIL_PERCENT = os.environ.get("FAIL_PERCENT", "0")
MIDDLEWARE = [*MIDDLEWARE, "hello.failures.FailPercentMiddleware"]  # noqa: F405
