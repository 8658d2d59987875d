import os
import signal

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hello.settings")
application = get_wsgi_application()

# Benchmark mode: an app that ignores graceful shutdown. gunicorn's master passes SIGTERM on to its workers, which
# would finish their requests in flight; this handler (a worker loads this module after gunicorn set its own)
# exits at once instead, dropping them, as an app without a graceful stop does.
if os.environ.get("HELLO_EXIT_ON_SIGTERM") == "1":
    signal.signal(signal.SIGTERM, lambda signum, frame: os._exit(0))
