#!/bin/bash
# Healthy when the server answers PING with PONG (it answers LOADING while it replays the AOF).
# The password comes from the generated config and reaches redis-cli in REDISCLI_AUTH, never argv.
set -euo pipefail
hex=$(sed -n 's/^requirepass "\(.*\)"$/\1/p' /run/redis/redis.conf)
if [[ -n $hex ]]; then
  REDISCLI_AUTH=$(printf '%b' "$hex")
  export REDISCLI_AUTH
fi
reply=$(redis-cli -h 127.0.0.1 -p 6379 ping 2>&1) || true
if [[ $reply != PONG ]]; then
  echo "unhealthy: PING answered '$reply'" >&2
  exit 1
fi
echo "healthy: PONG"
