#!/usr/bin/env bash
# Pass 1's speed on the tight loop, on both engines (the interpreter and the JIT), side by side with the same C compiled
# natively with gcc -O2 (docs/PERFORMANCE.md, "Interpreter" and "JIT"). Usage: samples/loop/measure.sh [iterations] [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-300000000}
runs=${2:-5}
out=$(mktemp -d)
dotnet build src/ZkVm.Cli -c Release -v q -nologo >/dev/null
zkvm=src/ZkVm.Cli/bin/Release/net10.0/zkvm
$zkvm cc samples/loop/main.c -o "$out/loop.elf" -O2
gcc -O2 -Iguest/c samples/loop/main.c guest/c/native.c -o "$out/loop-native"
python3 -c "import struct,sys; sys.stdout.buffer.write(struct.pack('<I', $n))" > "$out/n.bin"

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
for i in $(seq "$runs"); do
  # Alternate them all so that load from other processes hits each alike.
  /usr/bin/time -f "%e" -o "$out/native.$i" "$out/loop-native" < "$out/n.bin" >/dev/null 2>&1
  for engine in interpreter jit; do
    $zkvm run "$out/loop.elf" --input "$out/n.bin" --engine $engine > "$out/$engine.$i"
    $zkvm run "$out/loop.elf" --input "$out/n.bin" --engine $engine --record > "$out/$engine-record.$i"
  done
done
cycles=$(awk '/^cycles:/ {print $2}' "$out/interpreter.1")
native=$(cat "$out"/native.* | median)
echo "iterations: $n, guest instructions: $cycles, runs: $runs (medians)"
for run in interpreter interpreter-record jit jit-record; do
  ms=$(awk '/^time:/ {print $2}' "$out/$run".[0-9]* | median)
  awk -v r="$run" -v c="$cycles" -v t="$ms" -v n="$native" \
    'BEGIN {printf "zkvm run, %-18s %8.0f ms  %7.1f MHz  %5.1fx native\n", r ":", t, c / t / 1000, t / (n * 1000)}'
done
awk -v c="$cycles" -v t="$native" 'BEGIN {printf "native gcc -O2:              %8.0f ms  (%.0f M guest-instruction equivalents/s)\n", t * 1000, c / t / 1e6}'
rm -rf "$out"
