#!/usr/bin/env bash
# Interpreter speed on the tight loop, side by side with the same C compiled natively with gcc -O2
# (docs/PERFORMANCE.md, "Interpreter"). Usage: samples/loop/measure.sh [iterations] [runs]
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
  # Alternate the two so that load from other processes hits both alike.
  /usr/bin/time -f "%e" -o "$out/native.$i" "$out/loop-native" < "$out/n.bin" >/dev/null 2>&1
  $zkvm run "$out/loop.elf" --input "$out/n.bin" > "$out/zkvm.$i"
  $zkvm run "$out/loop.elf" --input "$out/n.bin" --record > "$out/record.$i"
done
cycles=$(awk '/^cycles:/ {print $2}' "$out/zkvm.1")
native=$(cat "$out"/native.* | median)
zk_ms=$(awk '/^time:/ {print $2}' "$out"/zkvm.* | median)
rec_ms=$(awk '/^time:/ {print $2}' "$out"/record.* | median)
echo "iterations: $n, guest instructions: $cycles, runs: $runs (medians)"
awk -v c="$cycles" -v t="$zk_ms" 'BEGIN {printf "zkvm run:          %8.0f ms  %6.1f MHz\n", t, c / t / 1000}'
awk -v c="$cycles" -v t="$rec_ms" 'BEGIN {printf "zkvm run --record: %8.0f ms  %6.1f MHz\n", t, c / t / 1000}'
awk -v c="$cycles" -v t="$native" 'BEGIN {printf "native gcc -O2:    %8.0f ms  (%.0f M guest-instruction equivalents/s)\n", t * 1000, c / t / 1e6}'
awk -v z="$zk_ms" -v t="$native" 'BEGIN {printf "zkvm / native time: %.1fx\n", z / (t * 1000)}'
rm -rf "$out"
