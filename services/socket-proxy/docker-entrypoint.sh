#!/bin/bash
# Starts HAProxy in front of the Docker socket: merges the allow-lists (allow.d/*.acl) and the refusals of
# container create bodies (refuse.d/*.map, with the directories BIND_DIRECTORIES allows filled in) into
# /run/socket-proxy/, then runs HAProxy as haproxy in the socket's group.
set -euo pipefail

. /usr/local/lib/rinpoche/entrypoint-lib.sh

CONFIG=/etc/socket-proxy
RUN=/run/socket-proxy
export DOCKER_SOCKET=${DOCKER_SOCKET:-/var/run/docker.sock}

# The alternation of BIND_DIRECTORIES (space-separated absolute paths) as a regular expression, each character
# but letters, digits, '/', '_' and '-' escaped; none allowed is (?!), which never matches (an empty alternation
# would match every path). A client sends '"', '\' and controls escaped, so a path with them could never match,
# ':' ends a bind's source, and '#' is sed's delimiter below: such paths are refused here.
bind_directories() {
  local dir dirs alternatives=()
  read -ra dirs <<<"${BIND_DIRECTORIES:-}"
  for dir in "${dirs[@]}"; do
    dir=${dir%/}
    [[ $dir == /* && ! $dir =~ [\"\\:#[:cntrl:]] && ! $dir =~ (^|/)\.\.?(/|$) && ! $dir =~ // ]] \
      || die "BIND_DIRECTORIES: '$dir' is not an absolute, normalized path without '\"', '\\', ':' or '#'"
    alternatives+=("$(printf '%s' "$dir" | sed 's|[^A-Za-z0-9/_-]|\\&|g')")
  done
  if ((${#alternatives[@]} == 0)); then
    echo '(?!)'
  else
    local IFS='|'
    echo "${alternatives[*]}"
  fi
}

write_rules() {
  local dirs
  dirs=$(bind_directories)
  shopt -s nullglob
  local acls=("$CONFIG"/allow.d/*.acl) maps=("$CONFIG"/refuse.d/*.map)
  ((${#acls[@]} > 0)) || die "no allow-list in $CONFIG/allow.d/*.acl: every call would be refused"
  cat "${acls[@]}" >"$RUN/allowed.acl"
  # sed's replacement treats '&' and '\' specially: escape them ('#' cannot occur in a checked path).
  cat "${maps[@]}" | sed "s#@BIND_DIRECTORIES@#$(printf '%s' "$dirs" | sed 's/[&\\]/\\&/g')#g" >"$RUN/create.map"
  log "allowed calls: $(grep -cv '^\s*\(#\|$\)' "$RUN/allowed.acl") patterns from ${acls[*]##*/}; bind mounts only under: ${BIND_DIRECTORIES:-(none)}"
}

main() {
  if [[ ${1:-} != haproxy ]]; then exec "$@"; fi
  shift
  [[ -S $DOCKER_SOCKET ]] || die "DOCKER_SOCKET=$DOCKER_SOCKET is not a socket: mount the engine's socket there"
  write_rules
  local run=()
  if [[ $(id -u) == 0 ]]; then
    chown -R haproxy:haproxy "$RUN"
    # HAProxy needs the socket's group to connect to it, and nothing else of root.
    run=(setpriv --reuid=haproxy --regid=haproxy --groups="$(stat -c %g "$DOCKER_SOCKET")" --)
  fi
  "${run[@]}" haproxy -c -f "$CONFIG/haproxy.cfg" >/dev/null || die "the HAProxy configuration does not check (haproxy -c above)"
  exec "${run[@]}" haproxy -db -f "$CONFIG/haproxy.cfg" "$@"
}

main "$@"
