"""Start-up step: wait until the app's database accepts a login, or fail clearly.

Two conditions, retried together until DATABASE_WAIT_TIMEOUT seconds (default 60) have passed:
DATABASE_HOST:DATABASE_PORT accepts a TCP connection, and Django logs in with the app's own
settings. A server that listens but does not yet know the user (first start) is "not ready".
DATABASE_WAIT_TIMEOUT=0 skips the wait. Exit status 0 when ready, 1 on timeout, 2 on bad settings.
"""

import socket
import sys
import time

import django
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from rinpoche_django import env


def log(message):
    print(f"wait-for-db: {message}", flush=True)


def probe(host, port):
    """None when the database is ready, else why it is not."""
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError as e:
        return f"{host}:{port} is not reachable: {e}"
    connection = connections["default"]
    try:
        connection.ensure_connection()
        return None
    except Exception as e:  # the driver's errors differ; each is only a reason to retry
        return f"{host}:{port} is reachable but the login failed: {e}"
    finally:
        connection.close()


def wait(timeout):
    db = settings.DATABASES["default"]
    if "sqlite" in db["ENGINE"]:
        log("sqlite database, nothing to wait for")
        return True
    host, port = db["HOST"], int(db["PORT"] or 3306)
    deadline, next_report, attempt = time.monotonic() + timeout, 0.0, 0
    log(f"waiting up to {timeout} s for {db['USER']}@{host}:{port}/{db['NAME']}")
    while True:
        attempt += 1
        reason = probe(host, port)
        if reason is None:
            log(f"database ready after {attempt} attempt(s)")
            return True
        now = time.monotonic()
        if now >= deadline:
            log(f"timed out after {timeout} s (DATABASE_WAIT_TIMEOUT): {reason}")
            return False
        if now >= next_report:
            log(f"not ready yet: {reason}")
            next_report = now + 5
        time.sleep(min(1.0, max(0.0, deadline - now)))


def main():
    timeout = env.integer("DATABASE_WAIT_TIMEOUT", 60)
    if timeout <= 0:
        log("DATABASE_WAIT_TIMEOUT=0, not waiting")
        return 0
    try:
        django.setup()
    except ImproperlyConfigured as e:
        log(f"configuration error: {e}")
        return 2
    return 0 if wait(timeout) else 1


if __name__ == "__main__":
    sys.exit(main())
