#!/usr/bin/env bash
# Runs the stdlib-only Python tests: the module runtime helper, the local embedder's request checks and every module's
# offline tests.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0; ran=0
for t in templates/python/test_*.py templates/python/gate/test_*.py scripts/test_*.py $(find modules -name 'test_*.py' -not -path '*/versions/*' 2>/dev/null | sort); do
  [[ -f "$t" ]] || continue
  ran=$((ran+1))
  dir=$(dirname "$t")
  if ! (cd "$dir" && PYTHONPATH="$PWD:$(cd - >/dev/null; pwd)/templates/python" python3 -m unittest -q "$(basename "${t%.py}")" 2>&1 | tail -3); then
    echo "FAILED: $t"; status=1
  fi
done
echo "python: $ran test files"
exit $status
