#!/bin/bash
# Renders /run/registry/config.yml (and the htpasswd file) from the environment, then runs the
# registry as the docker-registry user. Secrets go into files only that user can read, never onto a
# command line or into the log, and they are removed from the environment the registry inherits.
set -euo pipefail

TEMPLATES=/etc/docker/registry/templates
RUN_DIR=/run/registry
CONF=$RUN_DIR/config.yml
HTPASSWD=$RUN_DIR/htpasswd
DATA=/var/lib/registry
USER_NAME=docker-registry
B64TOKEN='[A-Za-z0-9._~+/-]+=*'
declare -A VALUES=()

. /usr/local/lib/rinpoche/entrypoint-lib.sh

# N random characters from the tr set ALPHABET. `head` closes the pipe early on purpose, so tr's
# SIGPIPE is expected; the length check catches a real failure.
random_chars() {
  local chars
  chars=$(LC_ALL=C tr -dc "$1" </dev/urandom | head -c "$2") || true
  ((${#chars} == $2)) || die "cannot read /dev/urandom"
  printf '%s' "$chars"
}

# A YAML single-quoted scalar: the only escape is '' for '. Line breaks and other control
# characters have no place in these values, and could change the YAML's structure.
yaml_quote() {
  [[ $2 != *[[:cntrl:]]* ]] || die "$1 contains a line break or another control character"
  printf "'%s'" "${2//\'/\'\'}"
}

# Replaces each ${NAME} in the template by VALUES[NAME] (already YAML-quoted), left to right in one
# pass, so a value that happens to hold "${...}" is never expanded itself.
render() {
  local rest out="" name
  rest=$(<"$TEMPLATES/$1")
  while [[ $rest =~ \$\{([A-Z_]+)\} ]]; do
    name=${BASH_REMATCH[1]}
    [[ -v VALUES[$name] ]] || die "template $1 needs a value for $name"
    out+=${rest%%"${BASH_REMATCH[0]}"*}${VALUES[$name]}
    rest=${rest#*"${BASH_REMATCH[0]}"}
  done
  printf '%s\n' "$out$rest"
}

# A bcrypt line for htpasswd (distribution 2.8 accepts only bcrypt), made by perl's crypt(), which
# calls libxcrypt: no apache2-utils needed. The password reaches perl in its environment, not argv.
bcrypt_line() {
  local user=$1 password=$2 salt hash
  # 22 salt characters from bcrypt's alphabet; the last one carries only 2 bits, so it is one of
  # the four whose low bits are zero, which every bcrypt implementation reads back unchanged.
  salt=$(random_chars './A-Za-z0-9' 21)$(random_chars '.Oeu' 1)
  hash=$(PW=$password SALT="\$2b\$10\$$salt" perl -e 'print crypt($ENV{PW}, $ENV{SALT})')
  [[ $hash =~ ^\$2b\$10\$[./A-Za-z0-9]{53}$ ]] || die "libcrypt did not produce a bcrypt hash"
  printf '%s:%s\n' "$user" "$hash"
}

# Sets AUTH_USER and AUTH_PASSWORD, or leaves them empty when REGISTRY_AUTH=none.
read_credentials() {
  secret REGISTRY_USER AUTH_USER
  secret REGISTRY_PASSWORD AUTH_PASSWORD
  case ${REGISTRY_AUTH:-htpasswd} in
    htpasswd) ;;
    none)
      [[ -z $AUTH_USER && -z $AUTH_PASSWORD ]] || die "REGISTRY_AUTH=none, yet a user or password is set"
      log "warning: REGISTRY_AUTH=none: anyone who reaches port 5000 can push and pull"
      return ;;
    *) die "REGISTRY_AUTH=${REGISTRY_AUTH} is not supported; use htpasswd (the default) or none" ;;
  esac
  if [[ -z $AUTH_USER || -z $AUTH_PASSWORD ]]; then
    die "no registry credentials.
  Set REGISTRY_USER (or REGISTRY_USER_FILE) and REGISTRY_PASSWORD (or REGISTRY_PASSWORD_FILE),
  or REGISTRY_AUTH=none to run a registry anyone can push to."
  fi
  [[ $AUTH_USER =~ ^[A-Za-z0-9._@-]+$ ]] || die "REGISTRY_USER may hold only letters, digits and . _ @ -"
  # bcrypt reads at most 72 bytes: a longer password would be accepted by its first 72 bytes alone.
  (($(printf '%s' "$AUTH_PASSWORD" | wc -c) <= 72)) \
    || die "REGISTRY_PASSWORD is longer than 72 bytes, which bcrypt cannot check in full"
  [[ $AUTH_PASSWORD != *[[:cntrl:]]* ]] || die "REGISTRY_PASSWORD contains a line break or another control character"
}

duration() {
  [[ $2 =~ ^[0-9]+(ns|us|ms|s|m|h)$ ]] || die "$1=$2 is not a duration such as 500ms, 5s or 1m"
  VALUES[$1]=$2
}

# Sets NOTIFY (yes or no) and fills the notification placeholders.
read_notifications() {
  NOTIFY=no
  [[ -n ${NOTIFY_URL:-} ]] || return 0
  [[ $NOTIFY_URL =~ ^https?://[^[:space:]]+$ ]] || die "NOTIFY_URL must be an http:// or https:// URL"
  local token
  secret NOTIFY_TOKEN token
  [[ -n $token ]] || die "NOTIFY_URL is set, but neither NOTIFY_TOKEN nor NOTIFY_TOKEN_FILE: the receiver could not trust the events"
  # RFC 6750's b64token: a token of these characters is what the log filter in main() hides.
  [[ $token =~ ^$B64TOKEN$ ]] || die "NOTIFY_TOKEN may hold only letters, digits and - . _ ~ + / (and = at the end)"
  [[ ${NOTIFY_NAME:=deploy-service} =~ ^[A-Za-z0-9._-]+$ ]] || die "NOTIFY_NAME may hold only letters, digits and . _ -"
  [[ ${NOTIFY_THRESHOLD:=3} =~ ^[1-9][0-9]*$ ]] || die "NOTIFY_THRESHOLD=$NOTIFY_THRESHOLD is not a positive integer"
  duration NOTIFY_TIMEOUT "${NOTIFY_TIMEOUT:-5s}"
  duration NOTIFY_BACKOFF "${NOTIFY_BACKOFF:-2s}"
  VALUES[NOTIFY_NAME]=$NOTIFY_NAME
  VALUES[NOTIFY_THRESHOLD]=$NOTIFY_THRESHOLD
  VALUES[NOTIFY_URL]=$(yaml_quote NOTIFY_URL "$NOTIFY_URL")
  VALUES[NOTIFY_AUTHORIZATION]=$(yaml_quote NOTIFY_TOKEN "Bearer $token")
  NOTIFY=yes
  # The URL without user:password@, should anyone put credentials there.
  log "notifications: endpoint '$NOTIFY_NAME' -> ${NOTIFY_URL/\/\/*@/\/\/}"
}

write_files() {
  VALUES[HTTP_SECRET]=$(yaml_quote HTTP_SECRET "$(random_chars 'A-Za-z0-9' 32)")
  VALUES[REALM]=$(yaml_quote REGISTRY_REALM "${REGISTRY_REALM:-rinpoche registry}")
  read_notifications
  (
    umask 077
    {
      render config.yml
      if [[ -n $AUTH_USER ]]; then render auth.yml; fi
      if [[ $NOTIFY == yes ]]; then render notifications.yml; fi
    } >"$CONF"
    if [[ -n $AUTH_USER ]]; then bcrypt_line "$AUTH_USER" "$AUTH_PASSWORD" >"$HTPASSWD"; fi
  )
  if [[ -n $AUTH_USER ]]; then log "htpasswd authentication: user '$AUTH_USER'"; fi
  if [[ $(id -u) == 0 ]]; then chown "$USER_NAME:$USER_NAME" "$RUN_DIR"/*; fi
}

# Runs the rest of the command line as docker-registry when started as root.
as_registry_user() {
  if [[ $(id -u) == 0 ]]; then
    exec setpriv --reuid="$USER_NAME" --regid="$USER_NAME" --init-groups -- "$@"
  fi
  exec "$@"
}

main() {
  if [[ ${1:-} != serve ]]; then exec "$@"; fi
  shift
  read_credentials
  rm -f "$HTPASSWD"
  write_files
  # Distribution reads every REGISTRY_* variable as a config override (REGISTRY_AUTH would replace
  # the auth section): drop this image's own variables and the secrets before it starts.
  unset AUTH_PASSWORD REGISTRY_AUTH REGISTRY_USER REGISTRY_USER_FILE REGISTRY_PASSWORD REGISTRY_PASSWORD_FILE \
    REGISTRY_REALM NOTIFY_URL NOTIFY_TOKEN NOTIFY_TOKEN_FILE NOTIFY_NAME NOTIFY_TIMEOUT NOTIFY_THRESHOLD NOTIFY_BACKOFF
  # A fresh named volume or a bind mount may belong to root: hand it over before dropping root.
  if [[ $(id -u) == 0 ]]; then find "$DATA" \! -user "$USER_NAME" -exec chown "$USER_NAME:$USER_NAME" '{}' +; fi
  # Distribution 2.8 logs each notification endpoint's headers at info level ("configuring endpoint
  # ... headers=map[Authorization:[Bearer <token>]]"): its log (stderr) passes through sed to hide them.
  as_registry_user docker-registry serve "$CONF" "$@" 2> >(as_registry_user sed -u -E "s#Bearer $B64TOKEN#Bearer <redacted>#g" >&2)
}

main "$@"
