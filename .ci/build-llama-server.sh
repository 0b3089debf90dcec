#!/usr/bin/env bash
# Builds llama-server (llama.cpp as shipped by node-llama-cpp 3.22.1: tag v0.5.0, commit de3ff81) from
# the source bundle in that npm package, for the integration tests of OpenAiCompletionBackend against a
# real server (relay-langchain4j, *LlamaServerIT). CPU only, Release, no TLS, no web UI download, only
# the llama-server target.
#
# The build is cached outside the checkout (~/.cache/relay, or $RELAY_CACHE_DIR) and resumes where an
# interrupted build stopped. Prints the absolute path of the binary on its last line of stdout; all
# build output goes to stderr. Jobs: $LLAMA_SERVER_BUILD_JOBS (default 2).
# About 11 minutes on 2 cores the first time (15 CPU-minutes, measured 2026-11-28), instant afterwards.
set -euo pipefail

NODE_LLAMA_CPP_VERSION=3.22.1
LLAMA_CPP_COMMIT=de3ff81
CACHE_DIR="${RELAY_CACHE_DIR:-$HOME/.cache/relay}/llama-server-${NODE_LLAMA_CPP_VERSION}"
BINARY="$CACHE_DIR/build/bin/llama-server"
JOBS="${LLAMA_SERVER_BUILD_JOBS:-2}"

if [[ -x "$BINARY" ]]; then
  echo "$BINARY"
  exit 0
fi

declare -A apt_package=([npm]=npm [git]=git [cmake]=cmake [ninja]=ninja-build [g++]=g++)
missing=()
for tool in "${!apt_package[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${apt_package[$tool]}")
done
if ((${#missing[@]})); then
  echo "build-llama-server: installing ${missing[*]} with apt-get" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

mkdir -p "$CACHE_DIR"
# One build at a time per cache directory.
exec 9>"$CACHE_DIR/.lock"
flock 9
if [[ -x "$BINARY" ]]; then
  echo "$BINARY"
  exit 0
fi

started=$(date +%s)
if [[ "$(git -C "$CACHE_DIR/src" rev-parse --short=7 HEAD 2>/dev/null)" != "$LLAMA_CPP_COMMIT" ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "build-llama-server: fetching node-llama-cpp@${NODE_LLAMA_CPP_VERSION} from npm" >&2
  (cd "$work" && npm pack --silent "node-llama-cpp@${NODE_LLAMA_CPP_VERSION}" >/dev/null)
  tar -xzf "$work"/node-llama-cpp-*.tgz -C "$work" package/llama/gitRelease.bundle
  rm -rf "$CACHE_DIR/src" "$CACHE_DIR/build"
  git clone -q "$work/package/llama/gitRelease.bundle" "$CACHE_DIR/src"
  actual=$(git -C "$CACHE_DIR/src" rev-parse --short=7 HEAD)
  if [[ "$actual" != "$LLAMA_CPP_COMMIT" ]]; then
    echo "build-llama-server: the bundle holds commit $actual, expected $LLAMA_CPP_COMMIT" >&2
    exit 1
  fi
fi

cmake -S "$CACHE_DIR/src" -B "$CACHE_DIR/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_SHARED_LIBS=OFF -DLLAMA_OPENSSL=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON \
  -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF >&2
cmake --build "$CACHE_DIR/build" --target llama-server -j "$JOBS" >&2
"$BINARY" --version >&2
echo "build-llama-server: built in $(( $(date +%s) - started )) s" >&2
echo "$BINARY"
