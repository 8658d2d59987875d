# Sourced by docker-entrypoint.sh: turns the edge metrics (metrics.conf beside this file) on, unless
# EDGE_METRICS=off. The Lua module is loaded either way (Debian's modules-enabled); unused, it costs nothing.
EDGE_CONF=/etc/nginx/edge/metrics.conf

edge_metrics() {
  local target=/etc/nginx/conf.d/edge-metrics.conf
  case ${EDGE_METRICS:-on} in
    on) ln -sf "$EDGE_CONF" "$target"; log "edge metrics on: http://<this container>:9145/metrics" ;;
    off) rm -f "$target"; log "edge metrics off (EDGE_METRICS=off)" ;;
    *) die "EDGE_METRICS must be on or off, not '$EDGE_METRICS'" ;;
  esac
}
