from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_safe

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
