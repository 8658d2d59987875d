# /healthz is answered by the base image's HealthCheckMiddleware (rinpoche_django.health).
from django.urls import path

from counter import views

urlpatterns = [
    path("", views.index, name="index"),
    path("api/stats", views.stats, name="stats"),
    path("api/visits", views.visit, name="visit"),
    path("api/slow", views.slow, name="slow"),
]
