"""Reading configuration from environment variables, failing early and clearly on bad values."""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE = ("1", "true", "yes", "on")
FALSE = ("", "0", "false", "no", "off")


def text(name, default=None):
    """The variable's value, or default when it is unset or empty."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def secret(name, default=None):
    """NAME or the content of the file named by NAME_FILE (Docker/Compose secrets), never both."""
    path = text(name + "_FILE")
    if path is None:
        return text(name, default)
    if text(name) is not None:
        raise ImproperlyConfigured(f"both {name} and {name}_FILE are set; set only one")
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().rstrip("\r\n")
    except OSError as e:
        raise ImproperlyConfigured(f"{name}_FILE={path} cannot be read: {e}") from e


def flag(name, default=False):
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1 or 0)")


def integer(name, default):
    value = text(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer") from None


def items(name, default):
    """A comma-separated list, blanks dropped."""
    return [item.strip() for item in text(name, default).split(",") if item.strip()]


def choice(name, default, allowed):
    value = text(name, default).lower()
    if value not in allowed:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of {', '.join(allowed)}")
    return value


def required(name, value, why):
    if value is None:
        raise ImproperlyConfigured(f"{name} is required {why}")
    return value
