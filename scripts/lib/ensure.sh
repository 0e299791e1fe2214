# Sourced by scripts/*: installs what a fresh machine lacks, and nothing that is present.
# Only package registries are used (rustup's own channel, crates.io, Debian, npm, PyPI):
# wasm-pack then fetches the wasm-bindgen CLI matching our pinned wasm-bindgen through cargo
# itself.

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "installing the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_wasm_pack() {
  if ! command -v wasm-pack >/dev/null 2>&1; then
    say "installing wasm-pack (once, a few minutes)"
    cargo install wasm-pack --locked
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing Debian's chromium and chromium-driver for the browser tests"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

# The auditor's tools the evidence tests run next to ours: the independent Python verifier
# (tests/verifier, which needs `cryptography`) and OpenSSH's `ssh-keygen -Y verify`. pip comes
# first because python3 may not be Debian's (pyenv); Debian's package covers a system python3
# that refuses pip (PEP 668).
ensure_auditor_tools() {
  if ! python3 -c 'import cryptography' >/dev/null 2>&1; then
    say "installing python3's cryptography package for the independent verifier"
    if ! python3 -m pip install --user --quiet cryptography; then
      as_root apt-get update -qq
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-cryptography >/dev/null
    fi
    python3 -c 'import cryptography' || { say "python3 still cannot import cryptography"; return 1; }
  fi
  if ! command -v ssh-keygen >/dev/null 2>&1; then
    say "installing Debian's openssh-client for ssh-keygen -Y verify"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-client >/dev/null
  fi
}

# wasm-opt from npm's binaryen (Debian's is too old for what rustc emits now).
ensure_build_tools() {
  local dir=scripts/tools
  if [ ! -x "$dir/node_modules/.bin/wasm-opt" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing the build tools (npm ci: binaryen for wasm-opt)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_e2e_packages() {
  local dir="$1"
  if [ ! -d "$dir/node_modules/playwright-core" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing the end-to-end test packages (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
