# Sourced by docker-entrypoint.sh (and its test): the docker cloud's docker-in-docker flags, derived from
# JENKINS_AGENT_PRIVILEGED. true: --privileged alone. false (hosts that refuse --privileged, "unable to
# apply caps"): every capability the engine gives, no seccomp/AppArmor confinement, writable /proc and
# /sys paths, and the host's cgroup tree mounted. Never the host's cgroup tree together with --privileged.
agent_dind_flags() {
  case ${JENKINS_AGENT_PRIVILEGED:-} in
    true)
      JENKINS_AGENT_CAPABILITIES="" JENKINS_AGENT_SECURITY_OPTS="" JENKINS_AGENT_MOUNTS="" ;;
    false)
      JENKINS_AGENT_CAPABILITIES=ALL
      JENKINS_AGENT_SECURITY_OPTS=$'seccomp=unconfined\napparmor=unconfined\nsystempaths=unconfined'
      JENKINS_AGENT_MOUNTS=type=bind,source=/sys/fs/cgroup,destination=/sys/fs/cgroup ;;
    *)
      printf 'error: JENKINS_AGENT_PRIVILEGED must be true or false, not "%s"\n' "${JENKINS_AGENT_PRIVILEGED:-}" >&2
      return 1 ;;
  esac
  export JENKINS_AGENT_CAPABILITIES JENKINS_AGENT_SECURITY_OPTS JENKINS_AGENT_MOUNTS
}
