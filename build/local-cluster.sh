#!/usr/bin/env bash
# A proving cluster on this machine (docs/DISTRIBUTED.md): Debian's redis-server for membership on a loopback port and
# N `zkvm worker` processes, until Ctrl+C. Usage: build/local-cluster.sh [workers=2] [redis-port=6380]
set -euo pipefail
cd "$(dirname "$0")/.."
workers=${1:-2}
port=${2:-6380}
# shellcheck source=build/prerequisites.sh
source build/prerequisites.sh
zkvm_prerequisites
dotnet build src/ZkVm.Cli -c Release -v q -nologo >/dev/null
zkvm=(dotnet src/ZkVm.Cli/bin/Release/net10.0/zkvm.dll)
logs=$(mktemp -d)
redis=""
pids=()
# Workers first, so that each leaves the cluster through Redis (a silo whose membership store is gone waits out
# its shutdown timeout); Redis last.
stop() {
  trap - EXIT INT TERM
  if [ ${#pids[@]} -gt 0 ]; then kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; fi
  if [ -n "$redis" ]; then kill "$redis" 2>/dev/null || true; wait "$redis" 2>/dev/null || true; fi
  echo "cluster stopped; logs in $logs"
}
trap stop EXIT INT TERM
# In a session of its own: Ctrl+C (SIGINT to the terminal's whole process group) must not stop Redis before the workers.
setsid redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no >"$logs/redis.log" 2>&1 &
redis=$!
for i in $(seq 1 "$workers"); do
  "${zkvm[@]}" worker --cluster "127.0.0.1:$port" --advertise 127.0.0.1 >"$logs/worker$i.log" 2>&1 &
  pids+=($!)
done
for i in $(seq 1 "$workers"); do
  until grep -q ' ready' "$logs/worker$i.log" 2>/dev/null; do sleep 0.5; done
  head -1 "$logs/worker$i.log"
done
echo "prove through it: ${zkvm[*]} prove GUEST.elf -o run.receipt --shard-size 262144 --cluster 127.0.0.1:$port"
echo "Ctrl+C stops the cluster."
wait
