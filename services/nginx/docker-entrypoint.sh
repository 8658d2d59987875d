#!/bin/bash
# Renders /etc/nginx/templates/*.template into /etc/nginx/conf.d/ from the environment (as the
# official nginx image does), checks the result with `nginx -t`, then runs the command (nginx in the
# foreground) in place of this script, as tini's child. Any other command runs without rendering.
set -euo pipefail

TEMPLATE_DIR=/etc/nginx/templates
OUTPUT_DIR=/etc/nginx/conf.d
# Servers generated from the app catalogue; when present they replace the single-app default.conf.
ROUTES_DIR=/etc/nginx/routes

. /usr/local/lib/rinpoche/entrypoint-lib.sh
. /usr/local/lib/rinpoche/edge-metrics.sh

# The first nameserver of resolv.conf: Docker's embedded DNS (127.0.0.11) on user-defined networks,
# the one DNS that knows the app's containers by their service name and network aliases.
resolv_conf_nameserver() {
  local key value _
  while read -r key value _; do
    if [[ $key == nameserver && -n $value ]]; then
      # nginx takes an IPv6 address only in brackets.
      [[ $value == *:* ]] && value="[$value]"
      echo "$value"
      return
    fi
  done </etc/resolv.conf
  die "no nameserver in /etc/resolv.conf: set NGINX_RESOLVER to a DNS server that knows the app's name"
}

set_defaults() {
  export APP_UPSTREAM=${APP_UPSTREAM:-app:8000}
  export CLIENT_MAX_BODY_SIZE=${CLIENT_MAX_BODY_SIZE:-10m}
  export PROXY_CONNECT_TIMEOUT=${PROXY_CONNECT_TIMEOUT:-250ms}
  export STATIC_ROOT=${STATIC_ROOT:-/srv/static}
  export NGINX_RESOLVER_VALID=${NGINX_RESOLVER_VALID:-2s}
  export CONTENT_SECURITY_POLICY=${CONTENT_SECURITY_POLICY:-}
  if [[ -z ${NGINX_RESOLVER:-} ]]; then
    NGINX_RESOLVER=$(resolv_conf_nameserver)
  fi
  export NGINX_RESOLVER
}

render_templates() {
  # Only variables that are set, and only UPPER_CASE names, are replaced: nginx's own variables
  # ($host, $uri, $app_upstream...) are lower case and pass through untouched.
  local names=() name template target
  for name in $(compgen -e); do
    [[ $name =~ ^[A-Z_][A-Z0-9_]*$ ]] && names+=("\${$name}")
  done
  shopt -s nullglob
  local routes=("$ROUTES_DIR"/*.conf)
  for template in "$TEMPLATE_DIR"/*.template; do
    if ((${#routes[@]})) && [[ $(basename "$template") == default.conf.template ]]; then
      log "routes in $ROUTES_DIR: the single-app server $template is not used"
      continue
    fi
    target="$OUTPUT_DIR/$(basename "$template" .template)"
    envsubst "${names[*]}" <"$template" >"$target"
    # A ${NAME} left in the output (outside comments) is a variable the template needs and nobody set.
    local unset_names
    unset_names=$(grep -vE '^[[:space:]]*#' "$target" | grep -oE '\$\{[A-Z_][A-Z0-9_]*\}' | sort -u | tr '\n' ' ' || true)
    [[ -z $unset_names ]] || die "$template uses ${unset_names% }, which is not set"
    log "rendered $template to $target"
  done
}

# nginx -t names a line of the rendered file; show that line, where a variable's value ended up.
check_config() {
  local out
  if ! out=$(nginx -t -q 2>&1); then
    printf '%s\n' "$out" >&2
    if [[ $out =~ in\ (/[^ :]+):([0-9]+) ]]; then
      log "line ${BASH_REMATCH[2]} of ${BASH_REMATCH[1]}: $(sed -n "${BASH_REMATCH[2]}s/^ *//p" "${BASH_REMATCH[1]}")"
    fi
    die "the configuration rendered from $TEMPLATE_DIR is invalid (nginx -t above); check the variables"
  fi
  [[ -z $out ]] || printf '%s\n' "$out" >&2   # warnings
}

if [[ ${1:-} == nginx ]]; then
  set_defaults
  render_templates
  edge_metrics
  check_config
  if compgen -G "$ROUTES_DIR/*.conf" >/dev/null; then
    log "servers from $ROUTES_DIR via resolver $NGINX_RESOLVER; configuration ok"
  else
    log "upstream http://$APP_UPSTREAM via resolver $NGINX_RESOLVER; configuration ok"
  fi
fi
exec "$@"
