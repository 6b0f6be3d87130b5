#!/usr/bin/env bash
# The accelerators against software (docs/PERFORMANCE.md, "Accelerators"): SHA-256 and Keccak-256 over the same input,
# in software (samples/sha256, samples/keccak256) and through the accelerator (bench/accelerators/*.c), side by side:
# cycles from `zkvm run`, prove time from `zkvm prove` (median of the runs, the two alternated), receipt size.
# Usage: bench/accelerators/measure.sh [bytes] [runs] [shard-size] [hashes: "sha256 keccak256"]
set -euo pipefail
cd "$(dirname "$0")/../.."
bytes=${1:-65536}
runs=${2:-3}
shard=${3:-1048576}
hashes=${4:-sha256 keccak256}
out=$(mktemp -d)
dotnet build src/ZkVm.Cli -c Release -v q -nologo >/dev/null
zkvm="dotnet src/ZkVm.Cli/bin/Release/net10.0/zkvm.dll"
python3 -c "import sys; sys.stdout.buffer.write(bytes((7 * i + 3) % 251 for i in range($bytes)))" > "$out/input.bin"
$zkvm cc samples/sha256/main.c -o "$out/sha256-software.elf" -O 2
$zkvm cc samples/keccak256/main.c -o "$out/keccak256-software.elf" -O 2
$zkvm cc bench/accelerators/sha256.c -o "$out/sha256-accelerated.elf" -O 2
$zkvm cc bench/accelerators/keccak256.c -o "$out/keccak256-accelerated.elf" -O 2

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
run() { # name, extension args...
  local name=$1; shift
  $zkvm run "$out/$name.elf" --input "$out/input.bin" "$@" > "$out/$name.run"
  awk '/^cycles:/ {print $2}' "$out/$name.run"
}
prove() { # name, run index, extension args...
  local name=$1 i=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$out/$name.time.$i" $zkvm prove "$out/$name.elf" --input "$out/input.bin" -o "$out/$name.zkr" --shard-size "$shard" "$@" > "$out/$name.prove.$i"
  $zkvm verify "$out/$name.zkr" --elf "$out/$name.elf" "$@" > /dev/null
}
echo "input: $bytes bytes, shard size $shard, $runs runs (medians); $(nproc) cores"
for hash in $hashes; do
  soft=$(run "$hash-software"); accel=$(run "$hash-accelerated" --extension accelerators)
  for i in $(seq "$runs"); do
    prove "$hash-software" "$i"
    prove "$hash-accelerated" "$i" --extension accelerators
  done
  st=$(awk '{print $1}' "$out/$hash-software".time.* | median); at=$(awk '{print $1}' "$out/$hash-accelerated".time.* | median)
  sm=$(awk '{print $2}' "$out/$hash-software".time.* | median); am=$(awk '{print $2}' "$out/$hash-accelerated".time.* | median)
  ss=$(stat -c %s "$out/$hash-software.zkr"); as=$(stat -c %s "$out/$hash-accelerated.zkr")
  echo "$hash software:    $soft cycles, prove $st s, peak $((sm / 1024)) MB, receipt $ss bytes"
  echo "$hash accelerated: $accel cycles, prove $at s, peak $((am / 1024)) MB, receipt $as bytes"
  awk -v s="$soft" -v a="$accel" -v st="$st" -v at="$at" 'BEGIN {printf "  ratio: %.0fx fewer cycles, %.1fx less prove time\n", s / a, st / at}'
done
rm -rf "$out"
