#!/bin/bash
# Healthy when nginx answers GET /nginx-health with 200. Uses bash's /dev/tcp, so the image needs no curl.
set -euo pipefail
exec 3<>/dev/tcp/127.0.0.1/80
printf 'GET /nginx-health HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS= read -r -t 2 status <&3 || true
status=${status%$'\r'}
if [[ $status != "HTTP/1.1 200 OK" ]]; then
  echo "unhealthy: GET /nginx-health answered '$status'" >&2
  exit 1
fi
echo "healthy: $status"
