#!/bin/bash
# Checks the scrape config with promtool, then runs Prometheus as the prometheus user, its TSDB in
# /prometheus and the retention from the environment. A broken config stops the container with
# promtool's message instead of a server that scrapes nothing.
set -euo pipefail

DATA=/prometheus
CONFIG=${PROMETHEUS_CONFIG:-/etc/prometheus/prometheus.yml}
RETENTION=${PROMETHEUS_RETENTION:-15d}
RETENTION_SIZE=${PROMETHEUS_RETENTION_SIZE:-}
SCRAPE_INTERVAL=${PROMETHEUS_SCRAPE_INTERVAL:-}

. /usr/local/lib/rinpoche/entrypoint-lib.sh

# Commands run as prometheus: from root through setpriv, otherwise (a `user:` override) as is.
AS_PROMETHEUS=()
if [[ $(id -u) == 0 ]]; then AS_PROMETHEUS=(setpriv --reuid=prometheus --regid=prometheus --init-groups --); fi

# promtool runs as the user the server runs as, so a config that user cannot read fails here too.
# It also checks the files the config names (rule files, credentials, TLS files).
check_config() {
  [[ -f $CONFIG ]] || die "PROMETHEUS_CONFIG=$CONFIG is not a file: mount the scrape config there, or unset PROMETHEUS_CONFIG for the image's default"
  local output
  if ! output=$("${AS_PROMETHEUS[@]}" promtool check config "$CONFIG" 2>&1); then
    printf '%s\n' "$output" >&2
    die "$CONFIG is not a valid Prometheus config (promtool check config, above); Prometheus was not started"
  fi
  log "config $CONFIG: ${output//$'\n'/ }"
}

# PROMETHEUS_SCRAPE_INTERVAL replaces the config's global scrape_interval and evaluation_interval (Prometheus reads
# neither from its environment or flags): a config rendered into /tmp, so rule and file names in it must be absolute
# (the platform's are). Jobs that set an interval of their own keep it.
render_interval() {
  local rendered=/tmp/prometheus.yml
  [[ $SCRAPE_INTERVAL =~ ^[1-9][0-9]*(ms|s|m|h)$ ]] \
    || die "PROMETHEUS_SCRAPE_INTERVAL must be a whole number with a unit (ms, s, m, h), such as 15s or 1m, not '$SCRAPE_INTERVAL'"
  [[ -f $CONFIG ]] || die "PROMETHEUS_CONFIG=$CONFIG is not a file: mount the scrape config there, or unset PROMETHEUS_CONFIG for the image's default"
  # Only the top-level global: block, at whatever indentation its keys have.
  awk -v interval="$SCRAPE_INTERVAL" '
    /^[^[:space:]#]/ { global = ($0 ~ /^global:[[:space:]]*$/) }
    global && /^[[:space:]]+(scrape|evaluation)_interval:/ {
      match($0, /^[[:space:]]+[a-z_]+:/); print substr($0, 1, RLENGTH) " " interval; found++; next
    }
    { print }
    END { exit found == 2 ? 0 : 3 }' "$CONFIG" >"$rendered" \
    || die "PROMETHEUS_SCRAPE_INTERVAL needs both scrape_interval and evaluation_interval under global: in $CONFIG"
  chmod 0644 "$rendered"
  log "scrape and rule evaluation interval $SCRAPE_INTERVAL (PROMETHEUS_SCRAPE_INTERVAL), config rendered from $CONFIG"
  CONFIG=$rendered
}

# The entrypoint sets these flags itself; given twice, Prometheus would only say "cannot be repeated".
refuse_own_flags() {
  local arg
  for arg; do
    case $arg in
      --config.file | --config.file=*) die "set PROMETHEUS_CONFIG instead of $arg" ;;
      --storage.tsdb.path | --storage.tsdb.path=*) die "the TSDB is always in $DATA, the volume: mount the volume there instead of $arg" ;;
      --storage.tsdb.retention*) die "set PROMETHEUS_RETENTION (time) or PROMETHEUS_RETENTION_SIZE instead of $arg" ;;
    esac
  done
}

# Alertmanager: its config checked with amtool as the server's user, its state (silences, notification log)
# in /alertmanager, no cluster. The route's default receiver `webhook` needs a URL in ALERT_WEBHOOK_URL_FILE;
# without one the alerts go to `none` (still listed by Prometheus, Alertmanager and the dashboard).
run_alertmanager() {
  local config=${ALERTMANAGER_CONFIG:-/etc/prometheus/alertmanager.yml} url_file=${ALERT_WEBHOOK_URL_FILE:-/run/secrets/alert-webhook-url}
  local rendered=/tmp/alertmanager.yml output
  [[ -f $config ]] || die "ALERTMANAGER_CONFIG=$config is not a file: mount the Alertmanager config there"
  if [[ -s $url_file ]]; then
    cp "$config" "$rendered"
    log "alerts go to the webhook in $url_file"
  else
    sed -E 's/^(  receiver: )webhook([[:space:]]|$)/\1none\2/' "$config" >"$rendered"
    log "no webhook URL in $url_file (set ALERT_WEBHOOK_URL): alerts are listed, not sent"
  fi
  chmod 0644 "$rendered"
  if [[ $(id -u) == 0 ]]; then find /alertmanager \! -user prometheus -exec chown prometheus:prometheus '{}' +; fi
  if ! output=$("${AS_PROMETHEUS[@]}" amtool check-config "$rendered" 2>&1); then
    printf '%s\n' "$output" >&2
    die "$config is not a valid Alertmanager config (amtool check-config, above); Alertmanager was not started"
  fi
  log "config $config: ${output//$'\n'/ }"
  exec "${AS_PROMETHEUS[@]}" prometheus-alertmanager --config.file="$rendered" --storage.path=/alertmanager \
    --cluster.listen-address= "$@"
}

main() {
  # `docker run image --query.timeout=1m` passes options to prometheus, as in the official image.
  if [[ ${1:-} == -* ]]; then set -- prometheus "$@"; fi
  if [[ ${1:-} == alertmanager ]]; then shift; run_alertmanager "$@"; fi
  if [[ ${1:-} != prometheus ]]; then exec "$@"; fi
  shift
  refuse_own_flags "$@"

  # A fresh bind mount may belong to root: hand it over before dropping root.
  if [[ $(id -u) == 0 ]]; then find "$DATA" \! -user prometheus -exec chown prometheus:prometheus '{}' +; fi
  if [[ -n $SCRAPE_INTERVAL ]]; then render_interval; fi
  check_config

  # No --web.enable-lifecycle and no --web.enable-admin-api: nothing on port 9090 can reload, stop the
  # server or delete series. A new config takes a container restart, which checks it first.
  local args=(
    --config.file="$CONFIG"
    --storage.tsdb.path="$DATA"
    --storage.tsdb.retention.time="$RETENTION"
    --web.console.templates=/etc/prometheus/consoles
    --web.console.libraries=/etc/prometheus/console_libraries
  )
  if [[ -n $RETENTION_SIZE ]]; then args+=(--storage.tsdb.retention.size="$RETENTION_SIZE"); fi
  log "starting Prometheus: data in $DATA, kept for $RETENTION${RETENTION_SIZE:+ or up to $RETENTION_SIZE}"
  exec "${AS_PROMETHEUS[@]}" prometheus "${args[@]}" "$@"
}

main "$@"
