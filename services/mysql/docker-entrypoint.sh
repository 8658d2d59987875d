#!/bin/bash
# Entrypoint with the contract of the official mysql/mariadb images (https://hub.docker.com/_/mariadb):
# on an empty data directory it creates the system tables, the root password, MYSQL_DATABASE and
# MYSQL_USER, runs /docker-entrypoint-initdb.d once, then runs mariadbd in the foreground.
# Passwords go to the server on stdin and to the client in MYSQL_PWD, never on a command line.
set -euo pipefail
shopt -s nullglob

DATADIR=/var/lib/mysql
SOCKET=/run/mysqld/mysqld.sock
INITDB_DIR=/docker-entrypoint-initdb.d
# Exists while a first initialisation runs; a failed one leaves it, so a restart cannot skip it.
INCOMPLETE=$DATADIR/.rinpoche-init-incomplete
HEALTHCHECK_CNF=$DATADIR/.my-healthcheck.cnf

. /usr/local/lib/rinpoche/entrypoint-lib.sh

# file_env NAME: MYSQL_NAME from MYSQL_NAME or the file named by MYSQL_NAME_FILE (see secret); the
# MARIADB_NAME spellings are accepted too and win, as in the mariadb image.
file_env() {
  local name=$1 value="" prefix given
  for prefix in MYSQL MARIADB; do
    secret "${prefix}_$name" given
    [[ -z $given ]] || value=$given
    unset "${prefix}_${name}_FILE"
  done
  unset "MARIADB_$name"
  export "MYSQL_$name=$value"
}

read_env() {
  file_env ROOT_PASSWORD
  file_env ROOT_HOST
  file_env DATABASE
  file_env USER
  file_env PASSWORD
  MYSQL_ROOT_HOST=${MYSQL_ROOT_HOST:-%}
  ALLOW_EMPTY=${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:-${MYSQL_ALLOW_EMPTY_PASSWORD:-}}
  RANDOM_ROOT=${MARIADB_RANDOM_ROOT_PASSWORD:-${MYSQL_RANDOM_ROOT_PASSWORD:-}}
}

verify_env() {
  if [[ -z $MYSQL_ROOT_PASSWORD ]] && ! is_true "$ALLOW_EMPTY" && ! is_true "$RANDOM_ROOT"; then
    die "the database is uninitialized and no root password is set.
  Set one of MYSQL_ROOT_PASSWORD, MYSQL_ROOT_PASSWORD_FILE, MYSQL_RANDOM_ROOT_PASSWORD=yes
  or MYSQL_ALLOW_EMPTY_PASSWORD=yes (the last leaves root without a password)."
  fi
  [[ $MYSQL_USER != root ]] || die "MYSQL_USER=root: root always exists; set MYSQL_ROOT_PASSWORD instead"
  if [[ -n $MYSQL_USER && -z $MYSQL_PASSWORD ]]; then
    die "MYSQL_USER is set but MYSQL_PASSWORD (or MYSQL_PASSWORD_FILE) is not"
  fi
  if [[ -z $MYSQL_USER && -n $MYSQL_PASSWORD ]]; then
    die "MYSQL_PASSWORD is set but MYSQL_USER is not"
  fi
}

# A quoted SQL string literal: backslashes and quotes escaped (the server runs with default sql_mode).
sql_string() {
  local s=${1//\\/\\\\}
  s=${s//$'\n'/\\n}
  printf "'%s'" "${s//\'/\\\'}"
}

# A quoted SQL identifier.
sql_name() { printf '`%s`' "${1//\`/\`\`}"; }

random_password() { head -c 24 /dev/urandom | base64; }

# Runs SQL from stdin against the init server as root; ROOT_PW is empty until setup_sql set it.
sql() {
  MYSQL_PWD=$ROOT_PW mariadb --protocol=socket --socket="$SOCKET" --user=root --batch "$@"
}

# Shell init scripts (sourced ones) may call this too, as in the official images.
docker_process_sql() { sql ${MYSQL_DATABASE:+--database="$MYSQL_DATABASE"} "$@"; }

start_init_server() {
  # Socket only: nothing on the network, and so no health check, can see a half-made database.
  mariadbd "$@" --skip-networking --socket="$SOCKET" --default-time-zone=SYSTEM --skip-log-bin \
    --wsrep-on=OFF --expire-logs-days=0 --loose-innodb-buffer-pool-load-at-startup=0 &
  INIT_PID=$!
  local _
  for _ in {1..120}; do
    if sql -e 'SELECT 1' >/dev/null 2>&1; then return; fi
    kill -0 "$INIT_PID" 2>/dev/null || die "the init server exited during start-up (see the log above)"
    sleep 0.5
  done
  die "the init server did not accept connections within 60 s"
}

stop_init_server() {
  kill "$INIT_PID"
  wait "$INIT_PID" || die "the init server did not shut down cleanly"
}

setup_sql() {
  local root_pw host hc_pw
  root_pw=$(sql_string "$MYSQL_ROOT_PASSWORD")
  host=$(sql_string "$MYSQL_ROOT_HOST")
  hc_pw=$1
  # Only root@localhost (socket and TCP to localhost) and root@MYSQL_ROOT_HOST remain.
  cat <<SQL
DROP USER IF EXISTS root@'127.0.0.1', root@'::1';
EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\'', @@hostname, '\'');
ALTER USER root@localhost IDENTIFIED BY $root_pw;
SQL
  if [[ $MYSQL_ROOT_HOST != localhost ]]; then
    cat <<SQL
CREATE USER root@$host IDENTIFIED BY $root_pw;
GRANT ALL ON *.* TO root@$host WITH GRANT OPTION;
GRANT PROXY ON ''@'%' TO root@$host WITH GRANT OPTION;
SQL
  fi
  # The health check logs in over TCP with this account, which may do nothing but connect.
  echo "CREATE USER healthcheck@'127.0.0.1' IDENTIFIED BY $(sql_string "$hc_pw");"
  if [[ -n $MYSQL_DATABASE ]]; then
    echo "CREATE DATABASE IF NOT EXISTS $(sql_name "$MYSQL_DATABASE");"
  fi
  if [[ -n $MYSQL_USER ]]; then
    echo "CREATE USER $(sql_string "$MYSQL_USER")@'%' IDENTIFIED BY $(sql_string "$MYSQL_PASSWORD");"
    if [[ -n $MYSQL_DATABASE ]]; then
      # In GRANT, _ is a wildcard: escape it so the grant covers exactly this database.
      echo "GRANT ALL ON $(sql_name "${MYSQL_DATABASE//_/\\_}").* TO $(sql_string "$MYSQL_USER")@'%';"
    fi
  fi
}

write_healthcheck_cnf() {
  (umask 077 && cat >"$HEALTHCHECK_CNF" <<CNF
[client]
protocol=tcp
host=127.0.0.1
port=3306
connect-timeout=3
user=healthcheck
password=$1
CNF
  )
}

run_init_files() {
  local f
  for f in "$INITDB_DIR"/*; do
    case $f in
      *.sh)
        if [[ -x $f ]]; then log "running $f"; "$f"
        else log "sourcing $f"; . "$f"; fi ;;
      *.sql) log "running $f"; docker_process_sql <"$f" ;;
      *.sql.gz) log "running $f"; gzip -dc "$f" | docker_process_sql ;;
      *) log "ignoring $f (only *.sh, *.sql and *.sql.gz run)" ;;
    esac
  done
}

init_failed() {
  error "initialisation failed; $DATADIR is incomplete: fix the cause, remove the data volume and start again"
}

init_database() {
  log "initialising a new database in $DATADIR"
  : >"$INCOMPLETE"
  trap init_failed EXIT
  mariadb-install-db --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal \
    --skip-test-db --default-time-zone=SYSTEM --skip-log-bin --expire-logs-days=0 "$@" >/dev/null
  ROOT_PW=""
  start_init_server "$@"
  if is_true "$RANDOM_ROOT" && [[ -z $MYSQL_ROOT_PASSWORD ]]; then
    MYSQL_ROOT_PASSWORD=$(random_password)
    # The one password ever printed, as in the official images: nobody could log in as root otherwise.
    log "GENERATED ROOT PASSWORD: $MYSQL_ROOT_PASSWORD"
  fi
  local hc_pw
  hc_pw=$(random_password)
  setup_sql "$hc_pw" | sql
  ROOT_PW=$MYSQL_ROOT_PASSWORD
  write_healthcheck_cnf "$hc_pw"
  run_init_files
  stop_init_server
  rm -f "$INCOMPLETE"
  trap - EXIT
  log "initialisation finished"
}

main() {
  # `docker run image --some-option` passes options to mariadbd, as in the official images.
  if [[ ${1:-} == -* ]]; then set -- mariadbd "$@"; fi
  if [[ ${1:-} != mariadbd && ${1:-} != mysqld ]]; then exec "$@"; fi

  # Read while still root: secrets mounted for *_FILE are often readable by root only. The values
  # reach the re-executed script as MYSQL_* variables.
  read_env
  if [[ $(id -u) == 0 ]]; then
    # A fresh named volume or bind mount may belong to root: hand it over, then drop root for good.
    find "$DATADIR" /run/mysqld \! -user mysql -exec chown mysql:mysql '{}' +
    exec setpriv --reuid=mysql --regid=mysql --init-groups -- "${BASH_SOURCE[0]}" "$@"
  fi
  if [[ -e $INCOMPLETE ]]; then
    die "an earlier initialisation of $DATADIR did not finish; remove the data volume and start again"
  fi
  if [[ -d $DATADIR/mysql ]]; then
    log "$DATADIR holds a database: skipping initialisation"
  else
    verify_env
    init_database "${@:2}"
  fi
  # mariadbd needs none of these; keep the secrets out of its environment.
  unset MYSQL_ROOT_PASSWORD MYSQL_PASSWORD ROOT_PW
  exec "$@"
}

main "$@"
