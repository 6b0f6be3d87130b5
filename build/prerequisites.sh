# Sourced by the scripts beside it: makes sure this machine has what they need, installing what it can.
# The guests are compiled by Debian's RISC-V GCC and linked with picolibc (docs/GUEST_ABI.md); the
# engine, the SDK and the tests need the .NET SDK that global.json names.

zkvm_toolchain_packages="gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf picolibc-riscv64-unknown-elf"
# The distributed-proving tests keep cluster membership in a real Redis server (docs/DISTRIBUTED.md).
zkvm_server_packages="redis-server"

zkvm_has_toolchain() {
  command -v riscv64-unknown-elf-gcc >/dev/null 2>&1 \
    && command -v riscv64-unknown-elf-objdump >/dev/null 2>&1 \
    && [ -f /usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs ]
}

# Installs the guest toolchain once (a second run finds it and does nothing), with sudo when not root.
zkvm_prerequisites() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: dotnet is not on PATH. Install the .NET 10 SDK (https://dot.net/download), then run this again." >&2
    return 2
  fi
  if zkvm_has_toolchain && command -v redis-server >/dev/null 2>&1; then return 0; fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: the RISC-V guest toolchain is missing and this machine has no apt-get to install it." >&2
    echo "Install a riscv64-unknown-elf GCC and binutils, and picolibc built for riscv64-unknown-elf with its" >&2
    echo "specs at /usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs, and redis-server (Debian: $zkvm_toolchain_packages $zkvm_server_packages)." >&2
    return 2
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "Installing the RISC-V guest toolchain and Redis: $zkvm_toolchain_packages $zkvm_server_packages"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # shellcheck disable=SC2086 # the package list is meant to split
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $zkvm_toolchain_packages $zkvm_server_packages
  zkvm_has_toolchain || { echo "error: installed $zkvm_toolchain_packages, yet the toolchain is still missing" >&2; return 2; }
  command -v redis-server >/dev/null 2>&1 || { echo "error: installed $zkvm_server_packages, yet redis-server is still missing" >&2; return 2; }
}
