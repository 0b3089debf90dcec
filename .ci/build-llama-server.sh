#!/usr/bin/env bash
# Builds llama-server (llama.cpp v0.5.0, commit de3ff81) from the source bundle that the npm package
# node-llama-cpp 3.22.1 ships, for the integration tests of OpenAiCompletionBackend against a real server.
# The build is cached outside the checkout; prints the path of the binary on its last line.
# ~6 minutes on 2 cores the first time, instant afterwards.
set -euo pipefail

NODE_LLAMA_CPP_VERSION=3.22.1
CACHE_DIR="${RELAY_CACHE_DIR:-$HOME/.cache/relay}/llama-server-${NODE_LLAMA_CPP_VERSION}"
BINARY="$CACHE_DIR/build/bin/llama-server"

if [[ -x "$BINARY" ]]; then
  echo "$BINARY"
  exit 0
fi

for tool in npm git cmake ninja g++; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build-llama-server: '$tool' is missing; installing build tools with apt-get" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq cmake ninja-build g++ git >&2
    break
  fi
done

mkdir -p "$CACHE_DIR"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "node-llama-cpp@${NODE_LLAMA_CPP_VERSION}" >/dev/null)
tar -xzf "$work"/node-llama-cpp-*.tgz -C "$work" package/llama/gitRelease.bundle
rm -rf "$CACHE_DIR/src"
git clone -q "$work/package/llama/gitRelease.bundle" "$CACHE_DIR/src"
cmake -S "$CACHE_DIR/src" -B "$CACHE_DIR/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
  -DBUILD_SHARED_LIBS=OFF >&2
cmake --build "$CACHE_DIR/build" --target llama-server -j "$(nproc)" >&2
echo "$BINARY"
