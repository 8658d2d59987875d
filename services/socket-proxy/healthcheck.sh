#!/bin/bash
# Healthy when GET /_ping through the proxy answers 200 OK: HAProxy listens and the engine behind it answers.
set -euo pipefail
exec 3<>/dev/tcp/127.0.0.1/2375
printf 'GET /_ping HTTP/1.0\r\nHost: socket-proxy\r\n\r\n' >&3
read -r -t 2 status <&3 || true
if [[ $status != "HTTP/1."[01]" 200"* ]]; then
  echo "unhealthy: GET /_ping answered '${status%$'\r'}'" >&2
  exit 1
fi
echo "healthy: ${status%$'\r'}"
