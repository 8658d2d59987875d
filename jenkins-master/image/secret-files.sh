#!/usr/bin/env bash
# Sourced by docker-entrypoint.sh (and by the module's tests).

# read_secret_files NAME...: a NAME given as a file (NAME_FILE, e.g. a compose secret in /run/secrets) is read into
# NAME for this process and its children (JCasC and the seed read NAME as before), so that `docker inspect` shows the
# file's path, never the value. NAME_FILE is then unset. Both set, or a file that cannot be read, is an error.
read_secret_files() {
  local name file
  for name in "$@"; do
    file=${name}_FILE
    [[ -n ${!file:-} ]] || continue
    if [[ -n ${!name:-} ]]; then
      printf 'error: both %s and %s are set; give one\n' "$name" "$file" >&2
      return 1
    fi
    if [[ ! -r ${!file} ]]; then
      printf 'error: %s=%s: cannot read that file\n' "$file" "${!file}" >&2
      return 1
    fi
    export "$name=$(<"${!file}")"
    unset "$file"
  done
}
