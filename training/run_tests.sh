#!/usr/bin/env bash
# Unit tests of the training code (tokenizer, task generator, GGUF writer, command insertion,
# relay simulator, a few-step training run). Prints "N passed, N failed"; exits non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
if ! $PY -c "import torch, numpy" 2>/dev/null; then
  apt-get install -y python3-torch libopenblas0-pthread python3-numpy || exit 1
fi
exec $PY - <<'PYEOF'
import sys, unittest
suite = unittest.defaultTestLoader.discover("training/tests", top_level_dir=".")
result = unittest.TextTestRunner(verbosity=2).run(suite)
failed = len(result.failures) + len(result.errors)
passed = result.testsRun - failed - len(result.skipped)
print("%d passed, %d failed" % (passed, failed))
sys.exit(0 if failed == 0 and passed > 0 else 1)
PYEOF
