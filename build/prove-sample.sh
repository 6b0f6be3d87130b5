#!/usr/bin/env bash
# The main job, on a machine that has the .NET SDK: installs the RISC-V guest toolchain if it is missing,
# packs the SDK and engine into artifacts/packages, then builds the sample guest project samples/sha256-project
# (its C compiled to RISC-V, run on its input and proven during the build) and tests it (its proof verified).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# shellcheck source=build/prerequisites.sh
source build/prerequisites.sh
zkvm_prerequisites
dotnet pack ZkSdk.sln -c Release -o artifacts/packages
dotnet test samples/sha256-project -c Release
