#!/usr/bin/env bash
# The results table of models/README.md: every number comes from the harness (relay-eval, llama.cpp in
# process) on the 500 held-out problems, greedy, 256 tokens per answer.
# Usage: bash training/results_table.sh [results-dir]   (about 5 minutes on 2 cores; the ablation rows
# need models/ablations/*.gguf from training/build_relay_rl.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-results/tiny-models}"
mkdir -p "$OUT"
[ -f relay-eval/target/relay-eval.jar ] || mvn -B -q -pl relay-eval -am package -DskipTests
J=(java -jar relay-eval/target/relay-eval.jar)
run() {
  local name="$1"; shift
  "${J[@]}" run --dataset models/data/heldout.jsonl --max-tokens 256 --teacher llama-cpp:models/tiny-teacher.gguf \
      --output "$OUT/$name.jsonl" "$@"
}
run student --mode student --student llama-cpp:models/tiny-student.gguf
run teacher --mode teacher
run stage1-relay --mode relay --student llama-cpp:models/tiny-relay-student.gguf
run stage2-relay --mode relay --student llama-cpp:models/tiny-relay-student-grpo.gguf
run stage1-teacher-free --mode teacher-free --student llama-cpp:models/tiny-relay-student.gguf
run stage2-teacher-free --mode teacher-free --student llama-cpp:models/tiny-relay-student-grpo.gguf
rows=("student alone=$OUT/student.jsonl" "teacher alone=$OUT/teacher.jsonl" "stage-1 relay=$OUT/stage1-relay.jsonl"
      "stage-2 relay=$OUT/stage2-relay.jsonl" "stage-1 teacher-free=$OUT/stage1-teacher-free.jsonl"
      "stage-2 teacher-free=$OUT/stage2-teacher-free.jsonl")
for ablation in nofilter simple; do
  model="models/ablations/tiny-relay-student-grpo-$ablation.gguf"
  if [ -f "$model" ]; then
    run "ablation-$ablation" --mode relay --student "llama-cpp:$model"
    run "ablation-$ablation-teacher-free" --mode teacher-free --student "llama-cpp:$model"
    rows+=("ablation: $ablation=$OUT/ablation-$ablation.jsonl"
           "ablation: $ablation, teacher-free=$OUT/ablation-$ablation-teacher-free.jsonl")
  fi
done
"${J[@]}" report "${rows[@]}" --output-dir "$OUT/report"
cat "$OUT/report/report.md"
