#!/usr/bin/env bash
# Runs every test: Swift unit and end-to-end tests (they drive the built binary), then the Python tests
# of the module runtime helper and the built-in modules.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

echo "== swift format lint (.swift-format)"
swift format lint --strict --recursive Sources Tests
echo "== fuzz targets build from their own source lists (fuzz/run.sh --check: type-check only, ~20 s of CPU)"
fuzz/run.sh --check
echo "== swift build"
swift build 2>&1 | tail -3
echo "== python tests (templates, built-in modules)"
scripts/python-tests.sh
echo "== swift test"
# One test at a time: on a 2-core machine, tests that block a thread on a child process (the end-to-end
# ones) would otherwise starve the timers of async tests running beside them.
# A failing run must not end the script here (pipefail): the summary below says what failed.
swift test --no-parallel 2>&1 | tee .build/swift-test.log | grep -E -v '^\[[0-9]+/[0-9]+\]' | tail -60 || true
if ! grep -q -E "Test run with [0-9]+ tests? (in [0-9]+ suites? )?passed|Executed .* with 0 failures" .build/swift-test.log ||
    grep -q -E "Test run with .* failed|with [1-9][0-9]* failures?" .build/swift-test.log; then
    # Last, where a CI page showing only the output's tail still names what failed and where.
    echo "== what failed (all of it: .build/swift-test.log)"
    grep -E "recorded an issue at|^✘ Test .* failed after|error: .*(crashed|signal)|Fatal error" .build/swift-test.log |
        grep -v "Test run with" | cut -c1-240 | tail -16 || true
    grep -E "Test run with .* (passed|failed)" .build/swift-test.log | tail -1 || true
    exit 1
fi
