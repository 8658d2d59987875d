from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from __PACKAGE__.models import Note


@require_http_methods(["GET", "HEAD", "POST"])
def index(request):
    if request.method == "POST":
        text = request.POST.get("text", "").strip()[:200]
        if text:
            Note.objects.create(text=text)
        return redirect("index")
    notes = Note.objects.order_by("-id")[:20]
    return render(request, "__PACKAGE__/index.html", {"notes": notes, "version": settings.APP_VERSION})


@require_GET
def stats(request):
    return JsonResponse({"app": "__NAME__", "notes": Note.objects.count(), "version": settings.APP_VERSION})
