#!/usr/bin/env bash
# Redis for the corpus tests (tests/test_corpus.py uses redis://127.0.0.1:6390/0).
# Installs redis-server when missing and starts a throw-away instance: daemonized,
# bound to 127.0.0.1:6390, no RDB snapshots, no AOF.
set -euo pipefail
PORT="${GOVLINT_REDIS_PORT:-6390}"
# redis-cli too: the Cluster tests (tests/redis_cluster.py) create the cluster with it
if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server redis-tools >/dev/null
fi
if redis-cli -h 127.0.0.1 -p "$PORT" ping >/dev/null 2>&1; then
  echo "redis already running on 127.0.0.1:$PORT"
  exit 0
fi
redis-server --bind 127.0.0.1 --port "$PORT" --daemonize yes --save "" --appendonly no \
  --dir /tmp --pidfile "/tmp/govlint-redis-$PORT.pid" --logfile "/tmp/govlint-redis-$PORT.log"
for _ in $(seq 1 50); do
  if redis-cli -h 127.0.0.1 -p "$PORT" ping >/dev/null 2>&1; then
    echo "redis started on 127.0.0.1:$PORT"
    exit 0
  fi
  sleep 0.1
done
echo "redis did not start on 127.0.0.1:$PORT" >&2
exit 1
