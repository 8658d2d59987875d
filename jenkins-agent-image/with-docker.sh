#!/usr/bin/env bash
# Waits until this container's dockerd answers, then execs "$@". The attach connector `docker exec`s
# the agent through it, possibly before the entrypoint's dockerd is up. Quiet on stdout (remoting).
set -euo pipefail
timeout=${DOCKERD_TIMEOUT:-60}
for ((i = 0; i < timeout * 2; i++)); do
  docker version >/dev/null 2>&1 && exec "$@"
  sleep 0.5
done
printf 'with-docker: no Docker engine in this container after %s s (see /var/log/dockerd.log)\n' "$timeout" >&2
exit 1
