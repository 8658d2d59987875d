#!/bin/bash
# The container's health: actuator health says UP, or DEGRADED (alive, the engine or the state remote is not).
# Plain bash /dev/tcp, so the image needs no curl.
set -euo pipefail
exec 3<>/dev/tcp/127.0.0.1/"${SERVER_PORT:-8088}"
printf 'GET /actuator/health HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
body=$(cat <&3)
# The first "status" is the whole service's; the components' follow it.
[[ ${body#*\"status\":\"} =~ ^(UP|DEGRADED)\" ]]
