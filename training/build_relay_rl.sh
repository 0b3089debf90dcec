#!/usr/bin/env bash
# Stage 2 of the tiny relay student (GRPO, issue 5) and its ablations, from the models that
# training/build_models.sh wrote. Usage: bash training/build_relay_rl.sh [seed]
#   1. GRPO candidates (models/data/rl_pool.jsonl)
#   2. the teacher-based filter: the harness samples the teacher 10 times per problem at temperature 1
#      and drops the problems it fails in 5 or more (models/data/rl_filtered.jsonl)
#   3. GRPO from tiny-relay-student.gguf -> models/tiny-relay-student-grpo.gguf, and the two ablations
#      (no filter; simple reward) -> models/ablations/
# The results table is then `bash training/results_table.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
SEED="${1:-1}"
PY=/usr/bin/python3
export RELAY_BUILD_WORK="${RELAY_BUILD_WORK:-/tmp/relay-build-$SEED}"
mkdir -p "$RELAY_BUILD_WORK" models/ablations
[ -f relay-eval/target/relay-eval.jar ] || mvn -B -q -pl relay-eval -am package -DskipTests
EVAL=(java -jar relay-eval/target/relay-eval.jar)
start=$(date +%s)
$PY -m training.build pool --seed "$SEED"
"${EVAL[@]}" run --dataset models/data/rl_pool.jsonl --mode teacher --teacher llama-cpp:models/tiny-teacher.gguf \
    --samples 10 --temperature 1.0 --seed "$SEED" --max-tokens 256 --output "$RELAY_BUILD_WORK/teacher-pass10.jsonl"
"${EVAL[@]}" filter --dataset models/data/rl_pool.jsonl --results "$RELAY_BUILD_WORK/teacher-pass10.jsonl" \
    --output models/data/rl_filtered.jsonl
grpo() { $PY -m training.build grpo --seed "$SEED" "$@"; }
( grpo --pool models/data/rl_pool.jsonl --name ablations/tiny-relay-student-grpo-nofilter \
    > "$RELAY_BUILD_WORK/grpo-nofilter.log" 2>&1 ) &
nofilter=$!
grpo --pool models/data/rl_filtered.jsonl --name tiny-relay-student-grpo 2>&1 | tee "$RELAY_BUILD_WORK/grpo.log"
grpo --pool models/data/rl_filtered.jsonl --reward simple --name ablations/tiny-relay-student-grpo-simple 2>&1 \
    | tee "$RELAY_BUILD_WORK/grpo-simple.log"
wait "$nofilter" || { cat "$RELAY_BUILD_WORK/grpo-nofilter.log"; exit 1; }
end=$(date +%s)
( cd models && sha256sum tiny-teacher.gguf tiny-student.gguf tiny-relay-student.gguf tiny-relay-student-grpo.gguf \
    ablations/tiny-relay-student-grpo-nofilter.gguf ablations/tiny-relay-student-grpo-simple.gguf \
    data/heldout.jsonl data/smoke.jsonl data/tokenizer_cases.jsonl tokenizer.json data/rl_pool.jsonl \
    data/rl_filtered.jsonl > SHA256SUMS )
echo "stage 2 finished in $((end - start)) s"
