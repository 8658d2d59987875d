#!/bin/bash
# Runs one Prometheus exporter, chosen by the first argument: node, nginx, mysqld or redis; the other
# arguments go to that exporter. Passwords come from the environment or from files, reach the exporter
# in its environment (never on a command line, where `ps` shows them) and are never logged. The exporter
# runs as the prometheus user.
set -euo pipefail

. /usr/local/lib/rinpoche/entrypoint-lib.sh

usage() {
  cat <<'USAGE'
usage: docker run rinpoche/exporters:<tag> EXPORTER [exporter flags...]
  node     node exporter on :9100 (mount the host's /proc, /sys and / at /host/proc, /host/sys, /host/root)
  nginx    nginx exporter on :9113, reading NGINX_SCRAPE_URI (default http://nginx/nginx_status)
  mysqld   mysqld exporter on :9104, logging in with MYSQL_USER and MYSQL_PASSWORD(_FILE) at MYSQL_HOST:MYSQL_PORT
  redis    redis exporter on :9121, reading REDIS_ADDR (default redis://redis:6379) and REDIS_PASSWORD(_FILE)
  help     this text
Add --help after the exporter's name for all of its flags.
USAGE
}

# True when the arguments after the first already set the flag NAME (-NAME or --NAME, with or without =).
given() {
  local name=$1 arg
  shift
  for arg; do
    case $arg in -"$name" | -"$name"=* | --"$name" | --"$name"=*) return 0 ;; esac
  done
  return 1
}

# Runs the exporter as prometheus (as is when the container runs as another user already).
run() {
  log "starting $1"
  if [[ $(id -u) == 0 ]]; then
    exec setpriv --reuid=prometheus --regid=prometheus --init-groups -- "$@"
  fi
  exec "$@"
}

# In a container, /proc and /sys are the container's own: mounted at /host/..., the host's are read.
# Debian turns the systemd collector on, which fails at every scrape without the host's D-Bus.
node() {
  local args=() dir
  if ! given collector.systemd "$@" && ! given no-collector.systemd "$@"; then args+=(--no-collector.systemd); fi
  for dir in proc sys; do
    if [[ -d /host/$dir ]] && ! given "path.${dir}fs" "$@"; then args+=("--path.${dir}fs=/host/$dir"); fi
  done
  if [[ -d /host/root ]] && ! given path.rootfs "$@"; then args+=(--path.rootfs=/host/root); fi
  run prometheus-node-exporter "${args[@]}" "$@"
}

# SCRAPE_URI is the exporter's own variable; a --nginx.scrape-uri argument still wins over it.
nginx() {
  export SCRAPE_URI=${NGINX_SCRAPE_URI:-http://nginx/nginx_status}
  unset NGINX_SCRAPE_URI
  run prometheus-nginx-exporter "$@"
}

# mysqld_exporter 0.17 has no DSN variable: the address and user are flags, and the password is read from
# MYSQLD_EXPORTER_PASSWORD, which its built-in my.cnf refers to. A --config.my-cnf argument replaces all
# of this with the user's own file.
mysqld() {
  if given config.my-cnf "$@"; then
    run prometheus-mysqld-exporter "$@"
  fi
  local user password
  secret MYSQL_USER user
  secret MYSQL_PASSWORD password
  [[ -n $user ]] || die "set MYSQL_USER (a user with PROCESS, BINLOG MONITOR and SLAVE MONITOR, see README.md), or pass --config.my-cnf"
  [[ -n $password ]] || die "set MYSQL_PASSWORD or MYSQL_PASSWORD_FILE for $user"
  export MYSQLD_EXPORTER_PASSWORD=$password
  unset MYSQL_PASSWORD MYSQL_PASSWORD_FILE MYSQL_USER_FILE password
  local args=()
  if ! given mysqld.address "$@"; then args+=("--mysqld.address=${MYSQL_HOST:-mysql}:${MYSQL_PORT:-3306}"); fi
  if ! given mysqld.username "$@"; then args+=("--mysqld.username=$user"); fi
  run prometheus-mysqld-exporter "${args[@]}" "$@"
}

# REDIS_ADDR and REDIS_PASSWORD are the exporter's own variables. Its REDIS_PASSWORD_FILE would be a JSON
# map of addresses to passwords, so this image reads a plain password file itself, as rinpoche/redis does.
redis() {
  local password
  secret REDIS_PASSWORD password
  unset REDIS_PASSWORD_FILE
  export REDIS_ADDR=${REDIS_ADDR:-redis://redis:6379}
  if [[ -n $password ]]; then
    export REDIS_PASSWORD=$password
  else
    log "no REDIS_PASSWORD or REDIS_PASSWORD_FILE: connecting to $REDIS_ADDR without AUTH"
  fi
  unset password
  run prometheus-redis-exporter "$@"
}

main() {
  local exporter=${1:-}
  shift || true
  case $exporter in
    node | nginx | mysqld | redis) "$exporter" "$@" ;;
    help | -h | --help) usage ;;
    "") usage >&2; exit 2 ;;
    *) usage >&2; die "unknown exporter '$exporter': choose node, nginx, mysqld or redis" ;;
  esac
}

main "$@"
