#!/bin/bash
# rinpoche/django entrypoint (runs under tini). With arguments it runs them, so
# `docker run IMAGE python3 manage.py test` works; without, it prepares and starts the app:
# wait for the database, migrate and collectstatic when asked, then exec gunicorn.
set -euo pipefail

if [ "$#" -gt 0 ]; then
  exec "$@"
fi

. /usr/local/lib/rinpoche/entrypoint-lib.sh
# enabled NAME: is the variable NAME set to 1/true/yes/on? Anything unexpected stops the start.
enabled() {
  eval "value=\${$1:-0}"
  case "$value" in
    1 | true | yes | on) return 0 ;;
    0 | false | no | off | "") return 1 ;;
    *) die "$1=$value is not a boolean (use 1 or 0)" ;;
  esac
}

[ -n "${DJANGO_SETTINGS_MODULE:-}" ] \
  || die "DJANGO_SETTINGS_MODULE is not set; set it in your Dockerfile (ENV DJANGO_SETTINGS_MODULE=mysite.settings)"
# Django's own layout: mysite/settings.py (or mysite/settings/prod.py) next to mysite/wsgi.py.
wsgi_module=${DJANGO_WSGI_MODULE:-${DJANGO_SETTINGS_MODULE%%.*}.wsgi}

# `python3 -m` puts the working directory (/app) on sys.path, so no manage.py is needed.
python3 -m rinpoche_django.wait_for_db || die "not starting: see wait-for-db above"

if enabled DJANGO_MIGRATE; then
  log "migrate"
  python3 -m django migrate --noinput
fi
if enabled DJANGO_COLLECTSTATIC; then
  log "collectstatic into ${STATIC_ROOT:-/srv/static}"
  python3 -m django collectstatic --noinput --verbosity 1
fi

log "gunicorn $wsgi_module on 0.0.0.0:${PORT:-8000} with ${GUNICORN_WORKERS:-2} workers"
# --worker-tmp-dir in memory: heartbeat files on the overlay filesystem can stall workers.
# Within Docker's default 10 s stop timeout, in-flight requests finish (--graceful-timeout).
# Only nginx on the private network reaches the app, so its X-Forwarded-* headers are trusted.
# More gunicorn options go in GUNICORN_CMD_ARGS, which gunicorn reads itself.
exec gunicorn \
  --bind "0.0.0.0:${PORT:-8000}" \
  --workers "${GUNICORN_WORKERS:-2}" \
  --timeout "${GUNICORN_TIMEOUT:-30}" \
  --graceful-timeout "${GUNICORN_GRACEFUL_TIMEOUT:-8}" \
  --worker-tmp-dir /dev/shm \
  --forwarded-allow-ips "*" \
  --access-logfile - \
  --error-logfile - \
  "$wsgi_module"
