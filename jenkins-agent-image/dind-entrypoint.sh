#!/usr/bin/env bash
# Starts this container's own dockerd, waits until it answers, then execs the command ("$@").
# Output goes to stderr only: the attach connector speaks the remoting protocol over stdout.
set -euo pipefail

log() { printf 'dind-entrypoint: %s\n' "$*" >&2; }

# Under --privileged with a private cgroup namespace (cgroup v2), dockerd can only create child
# cgroups once this container's processes leave the namespace root (the fix docker:dind applies).
# Only when /sys/fs/cgroup is rooted at our own namespace: with the host's hierarchy bind-mounted
# (the reduced flags) its root holds the host's processes, which must never be moved.
nest_cgroups() {
  [[ -f /sys/fs/cgroup/cgroup.controllers && -w /sys/fs/cgroup/cgroup.subtree_control ]] || return 0
  [[ $(awk '$5 == "/sys/fs/cgroup" {print $4}' /proc/self/mountinfo | tail -1) == / ]] || return 0
  mkdir -p /sys/fs/cgroup/init
  xargs -rn1 </sys/fs/cgroup/cgroup.procs >/sys/fs/cgroup/init/cgroup.procs 2>/dev/null || true
  sed -e 's/ / +/g' -e 's/^/+/' </sys/fs/cgroup/cgroup.controllers >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true
}

dockerd_args() {
  local registry
  args=(--host=unix:///var/run/docker.sock --data-root=/var/lib/docker --group=docker)
  # Comma or space separated, e.g. registry:5000: a registry on a docker network, spoken to over plain HTTP.
  local registries=${DOCKERD_INSECURE_REGISTRIES:-}
  for registry in ${registries//,/ }; do args+=("--insecure-registry=$registry"); done
  # Anything else dockerd accepts (word-split on purpose), e.g. --mtu=1400 or --registry-mirror=...
  read -r -a extra <<<"${DOCKERD_EXTRA_ARGS:-}"
  args+=("${extra[@]}")
}

if [[ $(id -u) -ne 0 ]]; then
  log "must start as root to run dockerd (the agent itself runs as jenkins through docker exec)"
  exit 1
fi
nest_cgroups
dockerd_args
# A container started again (docker start, a restart policy) keeps the pid files of its last run, whose PIDs a
# process of this run may hold: dockerd would refuse to start ("process with PID 10 is still running"). Nothing of
# this container's dockerd runs yet, so they are stale.
rm -f /var/run/docker.pid /var/run/docker/containerd/containerd.pid
log "starting dockerd ${args[*]} (log: /var/log/dockerd.log)"
# No stdin and its own log: dockerd must not touch the attach connector's stream.
dockerd "${args[@]}" </dev/null >/var/log/dockerd.log 2>&1 &
dockerd_pid=$!
timeout=${DOCKERD_TIMEOUT:-60}
for ((i = 0; i < timeout * 2; i++)); do
  if docker version >/dev/null 2>&1; then
    log "dockerd ready after $((i / 2)) s"
    exec "$@"
  fi
  kill -0 "$dockerd_pid" 2>/dev/null || break
  sleep 0.5
done
log "dockerd did not start within ${timeout} s; is the container --privileged (or run with the dind flags)? last log lines:"
tail -n 20 /var/log/dockerd.log >&2
exit 1
