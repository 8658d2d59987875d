#!/bin/bash
# Healthy when the running exporter answers GET /metrics with 200. It finds the exporter among the
# container's processes and takes the port from its --web.listen-address, or the exporter's default.
# That the exporter reaches its target is a metric (nginx_up, mysql_up, redis_up), not its health.
# bash's /dev/tcp: no curl or wget in the image.
set -euo pipefail
declare -A DEFAULT_PORT=(
  [prometheus-node-exporter]=9100 [prometheus-nginx-exporter]=9113
  [prometheus-mysqld-exporter]=9104 [prometheus-redis-exporter]=9121
)

argv=()
for dir in /proc/[0-9]*; do
  mapfile -d '' -t argv <"$dir/cmdline" 2>/dev/null || continue
  if [[ -n ${argv[0]:-} && -n ${DEFAULT_PORT[${argv[0]##*/}]:-} ]]; then break; fi
  argv=()
done
if ((${#argv[@]} == 0)); then
  echo "unhealthy: no exporter is running" >&2
  exit 1
fi

address=":${DEFAULT_PORT[${argv[0]##*/}]}"
for ((i = 1; i < ${#argv[@]}; i++)); do
  case ${argv[i]} in
    -web.listen-address=* | --web.listen-address=*) address=${argv[i]#*=} ;;
    -web.listen-address | --web.listen-address) address=${argv[i + 1]:-} ;;
  esac
done
port=${address##*:}

exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 3 status <&3 || status="no answer"
# Read the rest too: closing early makes the exporter log "connection reset by peer" at every check.
cat <&3 >/dev/null || true
exec 3<&-
status=${status%$'\r'}
if [[ $status != "HTTP/1.0 200"* && $status != "HTTP/1.1 200"* ]]; then
  echo "unhealthy: ${argv[0]##*/} answered GET :$port/metrics with '$status'" >&2
  exit 1
fi
echo "healthy: ${argv[0]##*/} answered GET :$port/metrics with $status"
