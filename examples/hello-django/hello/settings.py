"""hello-django settings: everything comes from the environment through the base image's helper."""
from rinpoche_django.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "counter"]  # noqa: F405
ROOT_URLCONF = "hello.urls"
WSGI_APPLICATION = "hello.wsgi.application"
