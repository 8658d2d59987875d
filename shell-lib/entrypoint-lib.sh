# Sourced by the entrypoints of the service images and rinpoche/django (bash): one log format, one way to read a secret.
# Each image's Dockerfile copies this file to /usr/local/lib/rinpoche/entrypoint-lib.sh from the build
# context named shell-lib, which `./platform build` passes (docker build --build-context shell-lib=shell-lib).

# Log lines on stdout, errors on stderr, both with a UTC time stamp, as `docker logs` shows them.
log() { printf '%s [entrypoint] %s\n' "$(date -u +%FT%TZ)" "$*"; }
error() { printf '%s [entrypoint] error: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }
die() { error "$@"; exit 1; }

# True for 1, yes, true or on (any case).
is_true() { [[ ${1,,} =~ ^(1|yes|true|on)$ ]]; }

# secret NAME VARIABLE: sets VARIABLE to the value of NAME or to the content of the file named by NAME_FILE
# (without its trailing newlines, as Docker and Compose secrets are mounted); empty when neither is set.
# Both at once, an unreadable or an empty file stop the start. No subshell: a value keeps every byte, and
# die ends the entrypoint itself.
secret() {
  local _name=$1 _file_var=${1}_FILE
  local _value=${!_name:-} _file=${!_file_var:-}
  if [[ -n $_value && -n $_file ]]; then
    die "both $_name and $_file_var are set; set only one of them"
  elif [[ -n $_file ]]; then
    [[ -f $_file && -r $_file ]] || die "$_file_var=$_file is not a readable file"
    _value=$(<"$_file")
    [[ -n $_value ]] || die "$_file_var=$_file is empty"
  fi
  printf -v "$2" '%s' "$_value"
}
