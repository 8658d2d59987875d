# Shared by ci/test, ci/build and ci/push (sourced, not run): which branch this is, and so which tags.
# The same values in Jenkins and on a laptop: Jenkins only adds BRANCH_NAME.
APP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IMAGE_NAME=${IMAGE_NAME:-hello-django}
REGISTRY=${REGISTRY:-127.0.0.1:5000}

ci_die() { printf 'ci: error: %s\n' "$*" >&2; exit 1; }
ci_say() { printf 'ci: %s\n' "$*" >&2; }

# Jenkins sets BRANCH_NAME (and TAG_NAME when it builds a git tag); a checkout elsewhere asks git.
BRANCH=${BRANCH_NAME:-$(git -C "$APP_DIR" rev-parse --abbrev-ref HEAD)}
SHORT_SHA=$(git -C "$APP_DIR" rev-parse --short=7 HEAD) || ci_die "$APP_DIR is not in a git checkout"

# A release tag X.Y.Z (or vX.Y.Z) -> image tag X.Y.Z (production); develop -> develop-<sha> (staging);
# master -> master-<sha> (production); any other branch is built and tested under a local tag, never
# pushed. A semantic version comes only from a git tag on this very commit, never from a file or a branch.
if [[ -n ${TAG_NAME:-} ]]; then
  [[ $TAG_NAME =~ ^v?([0-9]+\.[0-9]+\.[0-9]+)$ ]] || ci_die "tag '$TAG_NAME' is not a release tag X.Y.Z"
  APP_VERSION=${BASH_REMATCH[1]}
  git -C "$APP_DIR" tag --points-at HEAD | grep -qxF "$TAG_NAME" || ci_die "TAG_NAME=$TAG_NAME is not a git tag of this commit"
  TAGS=("$APP_VERSION"); PUSH=true; RELEASE=true
else
  RELEASE=false
  case $BRANCH in
    develop | master) TAGS=("$BRANCH-$SHORT_SHA"); APP_VERSION="$BRANCH-$SHORT_SHA"; PUSH=true ;;
    *)
      local_tag=$(printf '%s' "$BRANCH" | tr -c 'A-Za-z0-9_.-' '-' | cut -c1-100)
      TAGS=("$local_tag-$SHORT_SHA"); APP_VERSION="$local_tag-$SHORT_SHA"; PUSH=false ;;
  esac
fi
# The first tag is the one ci/test runs; every tag names the same image.
IMAGE="$REGISTRY/$IMAGE_NAME"

# With REGISTRY_USER and REGISTRY_PASSWORD set: a login of our own in a throw-away DOCKER_CONFIG (the
# password goes through stdin, never argv, and is not left behind in ~/.docker). Pulls of the base image
# and pushes use it; without them the registry is used anonymously.
ci_registry_login() {
  [[ -n ${REGISTRY_USER:-} && -z ${CI_LOGGED_IN:-} ]] || return 0
  [[ -n ${REGISTRY_PASSWORD:-} ]] || ci_die "REGISTRY_USER is set but REGISTRY_PASSWORD is empty"
  DOCKER_CONFIG=$(mktemp -d)
  export DOCKER_CONFIG
  trap 'rm -rf "$DOCKER_CONFIG"' EXIT
  printf '%s' "$REGISTRY_PASSWORD" | docker login "$REGISTRY" --username "$REGISTRY_USER" --password-stdin >/dev/null \
    || ci_die "docker login to $REGISTRY failed"
  CI_LOGGED_IN=1
}

# Builds the image once (later calls hit the layer cache) under every tag of this branch. The base comes
# from BASE_IMAGE when set, else from the Dockerfile's default (the platform registry's rinpoche/django).
ci_build_image() {
  ci_registry_login
  local tag args=()
  for tag in "${TAGS[@]}"; do args+=(-t "$IMAGE:$tag"); done
  ci_say "building $IMAGE:{${TAGS[*]}} (branch $BRANCH, APP_VERSION $APP_VERSION)"
  docker build -q "${args[@]}" --build-arg "APP_VERSION=$APP_VERSION" \
    ${RINPOCHE_TAG:+--build-arg "RINPOCHE_TAG=$RINPOCHE_TAG"} ${BASE_IMAGE:+--build-arg "BASE_IMAGE=$BASE_IMAGE"} \
    "$APP_DIR" >/dev/null
}

# Fails unless the registry answers that $1 does not exist yet: a release is immutable.
ci_release_is_new() {
  local answer
  if answer=$(docker manifest inspect --insecure "$1" 2>&1); then
    ci_die "$1 is already in the registry: a release tag is never pushed over (tag a new version)"
  fi
  grep -qi 'no such manifest\|not found' <<<"$answer" || ci_die "cannot tell whether $1 exists: $answer"
}
