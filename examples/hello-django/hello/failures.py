"""FAIL_PERCENT: a switch that makes a share of this version's requests fail, to try the deploy service's analysis
after a deploy. Baked in per build (`docker build --build-arg FAIL_PERCENT=20 ...`), so one image is the bad version.
Every request but the health check counts, and exactly FAIL_PERCENT of each 100 a process answers are a 500, evenly
spread: the version turns healthy and is deployed, and only the error rate at the edge shows it."""
import itertools
import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponseServerError


class FailPercentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.percent = percent(settings.FAIL_PERCENT)
        self.requests = itertools.count()
        self.lock = threading.Lock()

    def __call__(self, request):
        if self.percent:
            with self.lock:
                number = next(self.requests)
            # Spread evenly (20: every fifth request), so that any stretch of requests, in each worker, fails that share.
            if (number + 1) * self.percent // 100 > number * self.percent // 100:
                return HttpResponseServerError(f"failed on purpose (FAIL_PERCENT={self.percent})\n",
                                               content_type="text/plain")
        return self.get_response(request)


def percent(value):
    """FAIL_PERCENT as a whole number from 0 to 100; anything else stops the app with the reason."""
    try:
        number = int(str(value).strip() or "0")
    except ValueError:
        number = -1
    if not 0 <= number <= 100:
        raise ImproperlyConfigured(f"FAIL_PERCENT must be a whole number from 0 to 100, not {value!r}")
    return number
