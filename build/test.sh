#!/usr/bin/env bash
# Every test, after the same installation step as prove-sample.sh; ends with one "N passed, N failed" line
# over all test assemblies. CI's .ci/run is this script.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# shellcheck source=build/prerequisites.sh
source build/prerequisites.sh
zkvm_prerequisites

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test ZkSdk.sln -c Release 2>&1 | tee "$log" || status=$?
awk '/^(Passed|Failed)! +- +Failed: / { gsub(",", ""); failed += $4; passed += $6 }
     END { printf "%d passed, %d failed\n", passed, failed }' "$log"
exit "$status"
