#!/usr/bin/env bash
# Regenerates image/plugins.txt and plugins/metadata.yaml: the plugins of plugins/wanted.txt and their whole
# dependency closure, at the versions of one jenkinsci/bom line, each release's requirements read from its
# own pom at its git tag; then plugins/casc-model.yaml (JCasC's names and attributes) and
# plugins/dsl-model.yaml (declarative pipeline and job-dsl names) from those releases' Java sources.
# Needs git access to github.com; keeps bare clones in MIRRORS (default below).
#
#   jenkins-master/plugins/regenerate.sh [--fetch] [MIRRORS]
#
# --fetch updates clones made earlier (needed after moving BOM_TAG or the core forward).
# The core is the Dockerfile's JENKINS_VERSION. Then run `mvn -B -pl jenkins-master verify`: PluginSetTest
# proves the result consistent.
set -euo pipefail

# The bom release and line the pins come from (https://github.com/jenkinsci/bom, bom-<line>/pom.xml).
BOM_TAG=6641.vfe1b_b_3c48a_4a_
BOM_LINE=2.568.x

fetch=false
if [[ ${1:-} == --fetch ]]; then fetch=true; shift; fi
mirrors=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/rinpoche/jenkins-sources}
root=$(cd "$(dirname "$0")/../.." && pwd)
core=$(sed -n 's/^ARG JENKINS_VERSION=//p' "$root/jenkins-master/image/Dockerfile")
[[ -n $core ]] || { echo "regenerate: no ARG JENKINS_VERSION in jenkins-master/image/Dockerfile" >&2; exit 1; }

mkdir -p "$mirrors"
if $fetch; then
  for clone in "$mirrors"/*/repo; do
    [[ -d $clone ]] && git --git-dir "$clone" fetch -q --tags --force origin '+refs/heads/*:refs/heads/*'
  done
fi
(cd "$root" && mvn -B -q -pl jenkins-master compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
classpath="$root/jenkins-master/target/classes:$(cat "$root/jenkins-master/target/classpath.txt")"
for _ in $(seq 1 30); do
  status=0
  missing=$(java -cp "$classpath" io.rinpoche.jenkinsmaster.plugins.GeneratePluginMetadata \
    "$mirrors" "$BOM_TAG" "$BOM_LINE" "$core" "$root/jenkins-master") || status=$?
  if [[ $status -eq 0 ]]; then
    java -cp "$classpath" io.rinpoche.jenkinsmaster.casc.GenerateCascModel "$mirrors" "$root/jenkins-master"
    exit 0
  fi
  [[ $status -eq 3 ]] || exit "$status"
  # Exit 3: repositories to clone first, one "missing clone: owner/name" a line.
  for repo in $(sed -n 's/^missing clone: //p' <<<"$missing"); do
    echo "regenerate: cloning $repo" >&2
    git clone -q --bare "https://github.com/$repo.git" "$mirrors/${repo/\//+}/repo"
  done
done
echo "regenerate: still missing clones after 30 rounds" >&2
exit 1
