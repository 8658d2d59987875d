#!/bin/bash
# Healthy when the API port answers GET / with 200. Distribution answers / itself (no auth needed)
# and turns it into 503 while a health check, such as the storage driver's, is failing.
# bash's /dev/tcp: no curl or wget in the image.
set -euo pipefail
exec 3<>/dev/tcp/127.0.0.1/5000
printf 'GET / HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 3 status <&3 || status="no answer"
exec 3<&-
status=${status%$'\r'}
if [[ $status != "HTTP/1.0 200"* && $status != "HTTP/1.1 200"* ]]; then
  echo "unhealthy: GET / answered '$status'" >&2
  exit 1
fi
echo "healthy: $status"
