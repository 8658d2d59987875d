#!/bin/bash
# Healthy when GET /-/ready answers 200: Prometheus answers 503 until the TSDB is open (WAL replayed)
# and the config is loaded; Alertmanager once its config is loaded. bash's /dev/tcp: no curl or wget in
# the image. Usage: healthcheck.sh [PORT]   (9090 Prometheus, the default; 9093 Alertmanager)
set -euo pipefail
exec 3<>"/dev/tcp/127.0.0.1/${1:-9090}"
printf 'GET /-/ready HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 3 status <&3 || status="no answer"
exec 3<&-
status=${status%$'\r'}
if [[ $status != "HTTP/1.0 200"* && $status != "HTTP/1.1 200"* ]]; then
  echo "unhealthy: GET /-/ready answered '$status'" >&2
  exit 1
fi
echo "healthy: $status"
