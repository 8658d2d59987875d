#!/bin/bash
# registry-metrics' command: nginx (through the image's entrypoint, which renders its configuration), watched.
# A container that shares another's network namespace (network_mode: service:registry) stays in the old one when
# that container restarts, alone with its loopback. Then this exits, and its restart policy starts it again in
# the registry's current namespace.
set -euo pipefail
docker-entrypoint.sh nginx -g 'daemon off;' &
nginx=$!
while sleep 5; do
  kill -0 "$nginx" 2>/dev/null || exit 1
  if ! awk 'NR > 2 && $1 != "lo:" { found = 1 } END { exit !found }' /proc/net/dev; then
    echo "the registry's network namespace is gone (it restarted): exiting, to be started in its new one" >&2
    exit 1
  fi
done
