"""__NAME__ settings: everything comes from the environment through the base image's helper."""
from rinpoche_django.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "__PACKAGE__"]  # noqa: F405
ROOT_URLCONF = "__PACKAGE__.urls"
WSGI_APPLICATION = "__PACKAGE__.wsgi.application"
