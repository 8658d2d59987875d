# Shared by ci/test, ci/build and ci/push (sourced, not run): which branch this is, and so which tags.
# The same values in Jenkins and on a laptop: Jenkins only adds BRANCH_NAME.
APP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IMAGE_NAME=${IMAGE_NAME:-hello-django}
REGISTRY=${REGISTRY:-127.0.0.1:5000}

ci_die() { printf 'ci: error: %s\n' "$*" >&2; exit 1; }
ci_say() { printf 'ci: %s\n' "$*" >&2; }

# Jenkins' multibranch pipeline sets BRANCH_NAME; a checkout elsewhere asks git.
BRANCH=${BRANCH_NAME:-$(git -C "$APP_DIR" rev-parse --abbrev-ref HEAD)}
SHORT_SHA=$(git -C "$APP_DIR" rev-parse --short=7 HEAD) || ci_die "$APP_DIR is not in a git checkout"
VERSION=$(tr -d '[:space:]' <"$APP_DIR/VERSION") || ci_die "no VERSION file in $APP_DIR"
[[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+([.-][0-9A-Za-z.-]+)?$ ]] || ci_die "VERSION '$VERSION' is not a semantic version"

# develop -> develop-<sha> (staging); master -> <version> and master-<sha> (production);
# any other branch is built and tested under a local tag and never pushed.
case $BRANCH in
  develop) TAGS=("develop-$SHORT_SHA"); APP_VERSION="develop-$SHORT_SHA"; PUSH=true ;;
  master) TAGS=("$VERSION" "master-$SHORT_SHA"); APP_VERSION=$VERSION; PUSH=true ;;
  *)
    local_tag=$(printf '%s' "$BRANCH" | tr -c 'A-Za-z0-9_.-' '-' | cut -c1-100)
    TAGS=("$local_tag-$SHORT_SHA"); APP_VERSION="$local_tag-$SHORT_SHA"; PUSH=false ;;
esac
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
