#!/usr/bin/env bash
# Prepares a checkout on Debian x86-64: host packages, npm packages, the
# TypeScript build and the i386 userland programs. Idempotent and quiet when
# everything is already in place. Sourced by scripts/run.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'ir0 setup: %s\n' "$*" >&2; }

# Debian packages: required ones fail the setup when they cannot be installed,
# optional ones (benchmark comparisons) only warn.
required_pkgs=(gcc-multilib make e2fsprogs dosfstools mtools tmux)
optional_pkgs=(qemu-user)
missing() { for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"; done; }

install_pkgs() {
  local pkgs=("$@")
  [ ${#pkgs[@]} -eq 0 ] && return 0
  if [ ! -f /etc/debian_version ]; then
    say "this is not Debian: install the equivalents of: ${pkgs[*]}"; return 1
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if sudo -n true 2>/dev/null; then sudo=(sudo -n); else
      say "need root to install: ${pkgs[*]} (run: sudo apt-get install ${pkgs[*]})"; return 1
    fi
  fi
  say "installing Debian packages: ${pkgs[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >&2
}

if command -v dpkg-query >/dev/null; then
  mapfile -t need < <(missing "${required_pkgs[@]}")
  install_pkgs "${need[@]}" || { say "cannot continue without: ${need[*]}"; exit 1; }
  mapfile -t want < <(missing "${optional_pkgs[@]}")
  install_pkgs "${want[@]}" || say "continuing without ${want[*]}: benchmarks skip the qemu-i386 comparison"
else
  say "no dpkg: make sure gcc with -m32 support (gcc-multilib) and make are installed"
fi

if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  say "Node.js >= 20 is required (Debian: apt-get install nodejs npm)"; exit 1
fi

# npm packages: reinstall when package-lock.json changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --ignore-scripts >&2
fi

say "building TypeScript"
npx tsc -p tsconfig.json
say "building userland (gcc -m32)"
make -s -C userland >&2

# Debian i386 packages the tests and the demo run (cached under .cache/; apt
# with a private state directory, the host's dpkg setup untouched). Fetched
# here, once, so that test files running in parallel never race for apt's lock.
say "fetching Debian i386 packages (first run downloads, later runs reuse .cache/)"
node bin/ir0.js debian fetch busybox-static gzip bzip2 >&2 || { say "cannot fetch Debian packages: see the message above"; exit 1; }
node bin/ir0.js image build >&2 || { say "cannot build the default image: see the message above"; exit 1; }
