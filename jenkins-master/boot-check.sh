#!/usr/bin/env bash
# Boots the Jenkins master image for real and checks what the offline tests cannot: the war and every plugin
# download and load, JCasC applies every casc file, the job-dsl seed runs, and the jobs exist.
#
#   jenkins-master/boot-check.sh
#
# Needs Docker and a network where get.jenkins.io, updates.jenkins.io and github.com answer (the image build
# downloads the war, the plugin manager and the plugins). Where they do not, it says so and exits 2: that is
# NOT a pass. Exit 0 only when Jenkins came up with every job; 1 on any failure (the log is printed).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
suffix=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
image=rinpoche/jenkins-master:boot-check-$suffix
name=rinpoche-jenkins-boot-check-$suffix
network=rinpoche-jenkins-boot-check-$suffix
say() { printf 'boot-check: %s\n' "$*" >&2; }
fail() { say "FAILED: $*"; docker logs "$name" 2>&1 | tail -n 80 >&2 || true; exit 1; }

cleanup() {
  docker rm -f -v "$name" >/dev/null 2>&1 || true
  docker network rm "$network" >/dev/null 2>&1 || true
  docker rmi "$image" >/dev/null 2>&1 || true
}
trap cleanup EXIT

for url in https://get.jenkins.io/ https://updates.jenkins.io/ https://github.com/; do
  if ! curl -fsS -o /dev/null --max-time 15 -I "$url" 2>/dev/null && ! curl -fsS -o /dev/null --max-time 15 "$url" 2>/dev/null; then
    say "NOT RUN: $url cannot be reached from here, so Jenkins and its plugins cannot be downloaded."
    say "The boot check did not run and does not count as passed; run it where those hosts answer."
    exit 2
  fi
done

say "building $image (downloads the war, the plugin manager and $(grep -c '^[a-z0-9]' "$root/jenkins-master/image/plugins.txt") plugins)"
docker build -q -t "$image" "$root/jenkins-master/image" >/dev/null || fail "the image does not build"

# Placeholders for what a team provides: the GitLab is never contacted during start-up.
password=$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')
docker network create "$network" >/dev/null
docker run -d --name "$name" --network "$network" -p 127.0.0.1::8080 \
  -e JENKINS_URL=http://127.0.0.1:8080/ -e JENKINS_ADMIN_USER=admin -e JENKINS_ADMIN_PASSWORD="$password" \
  -e GITLAB_URL=https://gitlab.invalid -e GITLAB_API_TOKEN=boot-check -e GITLAB_PROJECT=team/rinpoche \
  -e APP_REPOSITORY_URL=https://gitlab.invalid/team/rinpoche.git \
  -e REGISTRY_ADDRESS=registry:5000 -e REGISTRY_USER=ci -e REGISTRY_PASSWORD=boot-check \
  -e JENKINS_AGENT_IMAGE=rinpoche/jenkins-agent:boot-check -e JENKINS_AGENT_NETWORK="$network" \
  -e JENKINS_RELEASE_NETWORK="$network" -e JENKINS_AGENT_CAP=1 -e JENKINS_AGENT_PRIVILEGED=true \
  "$image" >/dev/null
port=$(docker port "$name" 8080 | head -1 | sed 's/.*://')

say "waiting for Jenkins on 127.0.0.1:$port"
for ((i = 0; i < 300; i++)); do
  [[ $(docker inspect -f '{{.State.Running}}' "$name") == true ]] || fail "Jenkins exited"
  curl -fsS -o /dev/null -u "admin:$password" "http://127.0.0.1:$port/api/json" 2>/dev/null && break
  sleep 2
done
((i < 300)) || fail "Jenkins did not answer within 10 minutes"

log=$(docker logs "$name" 2>&1)
for pattern in ConfiguratorException 'Failed Loading plugin' 'Failed to load' 'javaposse.jobdsl.*Exception'; do
  if grep -qE "$pattern" <<<"$log"; then
    fail "the log reports '$pattern'"
  fi
done
jobs=$(curl -fsS -u "admin:$password" "http://127.0.0.1:$port/api/json?tree=jobs%5Bname%5D") || fail "no job list"
releases=$(curl -fsS -u "admin:$password" "http://127.0.0.1:$port/job/releases/api/json?tree=jobs%5Bname%5D") || fail "no folder releases"
grep -q '"name":"hello-django"' <<<"$jobs" || fail "the seed made no hello-django job: $jobs"
grep -q '"name":"hello-django"' <<<"$releases" || fail "the seed made no releases/hello-django job: $releases"
say "PASSED: plugins loaded, JCasC applied, the seed made hello-django and releases/hello-django"
