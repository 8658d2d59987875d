#!/usr/bin/env bash
# Refuses to start without the variables the casc YAML reads (JCasC would otherwise start Jenkins with
# an empty admin password), installs the pinned plugins into JENKINS_HOME, then runs Jenkins.
set -euo pipefail

# The secrets arrive as files (compose secrets): read into the variables the casc YAML and the seed use.
# shellcheck source=secret-files.sh
source /usr/local/lib/rinpoche/secret-files.sh
read_secret_files JENKINS_ADMIN_PASSWORD GITLAB_API_TOKEN REGISTRY_PASSWORD

required=(JENKINS_URL JENKINS_ADMIN_USER JENKINS_ADMIN_PASSWORD GITLAB_URL GITLAB_API_TOKEN GITLAB_PROJECT
  REGISTRY_ADDRESS REGISTRY_USER REGISTRY_PASSWORD APP_REPOSITORY_URL
  JENKINS_AGENT_IMAGE JENKINS_AGENT_NETWORK JENKINS_RELEASE_NETWORK JENKINS_AGENT_CAP JENKINS_AGENT_PRIVILEGED)
missing=()
for name in "${required[@]}"; do
  [[ -n ${!name:-} ]] || missing+=("$name")
done
if ((${#missing[@]})); then
  printf 'error: missing environment: %s (see jenkins-master/README.md)\n' "${missing[*]}" >&2
  exit 1
fi

# shellcheck source=agent-flags.sh
source /usr/local/lib/rinpoche/agent-flags.sh
agent_dind_flags

# The image's plugins replace whatever an older image left in the volume: plugins.txt is the truth.
rm -rf "$JENKINS_HOME/plugins"
mkdir -p "$JENKINS_HOME/plugins"
cp -a /usr/share/jenkins/ref/plugins/. "$JENKINS_HOME/plugins/"

# shellcheck disable=SC2086 # JAVA_OPTS and JENKINS_OPTS are lists of options
exec java $JAVA_OPTS -jar /usr/share/jenkins/jenkins.war $JENKINS_OPTS "$@"
