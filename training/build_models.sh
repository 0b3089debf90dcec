#!/usr/bin/env bash
# Rebuilds models/ (data, tokenizer dump, the three GGUF models, results) from a seed, bit for bit.
# Usage: bash training/build_models.sh [seed]   (from anywhere; see models/README.md for the wall time)
# Each model trains in two phases (1: answers in the flat layout, from scratch; 2: answers in the
# column layout plus arithmetic drills, from phase 1). The teacher trains in parallel with the
# student -> relay-student chain, one thread each.
set -euo pipefail
cd "$(dirname "$0")/.."
SEED="${1:-1}"
PY=/usr/bin/python3
if ! $PY -c "import torch, numpy" 2>/dev/null; then
  apt-get install -y python3-torch libopenblas0-pthread python3-numpy
fi
export RELAY_BUILD_WORK="${RELAY_BUILD_WORK:-/tmp/relay-build-$SEED}"
mkdir -p "$RELAY_BUILD_WORK" models/data
LOG="$RELAY_BUILD_WORK/build.log"
start=$(date +%s)
stage() { $PY -m training.build "$@" --seed "$SEED"; }
stage data 2>&1 | tee "$LOG"
( { stage teacher --phase 1 && stage teacher --phase 2 && stage teacher --phase 3; } > "$RELAY_BUILD_WORK/teacher.log" 2>&1 ) &
teacher_pid=$!
{ stage student --phase 1 && stage student --phase 2 && stage relay; } 2>&1 | tee -a "$LOG"
wait "$teacher_pid" || { cat "$RELAY_BUILD_WORK/teacher.log"; exit 1; }
cat "$RELAY_BUILD_WORK/teacher.log" >> "$LOG"
stage eval 2>&1 | tee -a "$LOG"
end=$(date +%s)
built=(tiny-teacher.gguf tiny-student.gguf tiny-relay-student.gguf
       data/heldout.jsonl data/smoke.jsonl data/tokenizer_cases.jsonl tokenizer.json)
( cd models && sha256sum "${built[@]}" ) > "$RELAY_BUILD_WORK/SHA256SUMS"
echo "{\"seed\": $SEED, \"wall_seconds\": $((end - start)), \"finished\": \"$(date -u +%FT%TZ)\"}" \
    > "$RELAY_BUILD_WORK/build_info.json"
cat "$RELAY_BUILD_WORK/SHA256SUMS"
echo "build finished in $((end - start)) s"
# models/SHA256SUMS holds the committed files' hashes (seed 1, plus the stage-2 models of build_relay_rl.sh):
# the same seed on this kind of machine must give the same bytes
if [ "$SEED" = 1 ]; then
  if ( cd models && printf '%s\n' "${built[@]}" | awk 'NR == FNR { want[$1]; next } ($2 in want)' - SHA256SUMS \
      | sha256sum -c - ); then
    echo "bit for bit: every file above is identical to models/SHA256SUMS"
  else
    echo "DIFFERENT from models/SHA256SUMS (see the FAILED lines above)"; exit 1
  fi
fi
