from django.conf import settings
from django.db import transaction
from django.db.models import F
import time

from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST, require_safe

from counter.models import Counter

VISITS = "visits"


def count_visit():
    """Adds one visit and returns the new count; concurrent requests never lose an increment."""
    with transaction.atomic():
        # UPDATE ... SET value = value + 1 in the database, not read-modify-write in Python;
        # the row stays locked until commit, so the read below sees exactly our increment.
        Counter.objects.filter(name=VISITS).update(value=F("value") + 1)
        return current_visits()


def current_visits():
    return Counter.objects.values_list("value", flat=True).get(name=VISITS)


@require_safe
def index(request):
    # HEAD (monitors, curl -I) looks without counting.
    visits = count_visit() if request.method == "GET" else current_visits()
    return render(request, "counter/index.html", {"visits": visits, "version": settings.APP_VERSION})


@require_GET
def stats(request):
    return JsonResponse({"visits": current_visits(), "version": settings.APP_VERSION})


# An API call without a form or a session: no CSRF token (a browser form would need one). POST is what nginx never
# retries on another replica, which is what rollout tests and benchmarks load it with.
@csrf_exempt
@require_POST
def visit(request):
    return JsonResponse({"visits": count_visit(), "version": settings.APP_VERSION})


# The longest /api/slow sleeps: a request that holds a worker (two per replica by default) for at most this long.
SLOW_MAX_MS = 5000


@require_GET
def slow(request):
    """Answers after `ms` milliseconds (0 to SLOW_MAX_MS): a request that is surely in flight when a replica is stopped,
    which rollout tests use to show that an app exiting at once on SIGTERM would drop it."""
    try:
        ms = int(request.GET.get("ms", "0"))
    except ValueError:
        ms = -1
    if not 0 <= ms <= SLOW_MAX_MS:
        return HttpResponseBadRequest(f"ms must be a whole number from 0 to {SLOW_MAX_MS}\n", content_type="text/plain")
    time.sleep(ms / 1000)
    return JsonResponse({"slept_ms": ms, "version": settings.APP_VERSION})
