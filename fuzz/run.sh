#!/usr/bin/env bash
# Fuzzes the parsers that read hostile bytes (model replies, module output, config) with libFuzzer.
# Usage: fuzz/run.sh [RUNS] [TARGET...]   (RUNS default 1000000; targets: json toml sse react picker marks)
#        fuzz/run.sh --check [TARGET...]  (type-checks each target's sources and harness, runs nothing; CI)
# Each target is built with -sanitize=fuzzer,address from the parser's own sources, seeded from
# fuzz/seeds/<target>/ (and fuzz/<target>.dict when there is one), and run for RUNS inputs. Prints one summary
# line per target; exit 1 on any finding (or, with --check, on any target whose sources do not compile alone).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
# A trap goes straight to libFuzzer: Swift's backtracer, reading the crashed process under ASan, reported a
# stack-buffer-underflow of its own and hung -minimize_crash.
export SWIFT_BACKTRACE=enable=no
check=0
if [[ ${1:-} == --check ]]; then check=1; shift; set -- 0 "$@"; fi
runs=${1:-1000000}; shift || true
targets=("${@:-json toml sse react}")
[[ $# -eq 0 ]] && targets=(json toml sse react picker marks)
out=.build/fuzz; mkdir -p "$out"
core=$(find Sources/NexusCore -name '*.swift' | sort)
status=0
# The picker without ToolCatalogFile.swift, the benchmark fixtures' reader (it needs NexusPOSIX and NexusStore), and
# with ToolNamespace.swift (plain Swift: the `module__tool` separator RecentTools reads).
picker="$(find Sources/NexusModules/ToolPicker -name '*.swift' ! -name ToolCatalogFile.swift | sort)
Sources/NexusModules/Health/ToolNamespace.swift"
for t in "${targets[@]}"; do
  timeout=10
  case $t in
    json)  srcs="$core fuzz/JSONFuzz.swift" ;;
    toml)  srcs="$core fuzz/TOMLFuzz.swift" ;;
    sse)   srcs="$core Sources/NexusLLM/Streaming/SSEParser.swift Sources/NexusLLM/Streaming/NDJSONParser.swift fuzz/SSEFuzz.swift" ;;
    react) srcs="$core Sources/NexusLLM/ReAct/JSONRepair.swift Sources/NexusLLM/HTTP/HTTPRequest.swift fuzz/ReActFuzz.swift" ;;
    # The picker runs on every turn: an input that takes a second is a finding.
    picker) srcs="$core $picker fuzz/PickerFuzz.swift"; timeout=1 ;;
    # Every reader on text with long runs of combining marks (bytes 0x01-0x03 expand; see the harness), then
    # comparisons, hashes, sorts and splits of what it read: Swift's String is quadratic in an unordered run, so an
    # input over 2 s is a finding.
    marks) srcs="$core Sources/NexusLLM/Streaming/SSEParser.swift Sources/NexusLLM/Streaming/NDJSONParser.swift Sources/NexusLLM/ReAct/JSONRepair.swift Sources/NexusLLM/HTTP/HTTPRequest.swift fuzz/MarksFuzz.swift"; timeout=2 ;;
    *) echo "fuzz: unknown target $t (json toml sse react picker marks)" >&2; exit 2 ;;
  esac
  if [[ $check -eq 1 ]]; then
    # shellcheck disable=SC2086
    if swiftc -typecheck -parse-as-library -module-name NexusCore -suppress-warnings $srcs 2>"$out/check-$t.log"; then
      echo "fuzz $t: sources type-check"
    else
      echo "fuzz $t: does not build (see $out/check-$t.log)"; head -5 "$out/check-$t.log"; status=1
    fi
    continue
  fi
  # shellcheck disable=SC2086
  swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name NexusCore -suppress-warnings \
    $srcs -o "$out/fuzz-$t" 2>"$out/build-$t.log" || { echo "fuzz $t: build failed (see $out/build-$t.log)"; status=1; continue; }
  corpus="$out/corpus-$t"; mkdir -p "$corpus"
  dict=(); [[ -f fuzz/$t.dict ]] && dict=(-dict="fuzz/$t.dict")
  start=$(date +%s)
  if "$out/fuzz-$t" "${dict[@]}" -runs="$runs" -max_len=4096 -timeout="$timeout" -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$out/crash-$t-" "$corpus" "fuzz/seeds/$t" >"$out/run-$t.log" 2>&1; then
    execs=$(grep -a -o 'stat::number_of_executed_units: *[0-9]*' "$out/run-$t.log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -a -o 'cov: [0-9]*' "$out/run-$t.log" | tail -1 | grep -o '[0-9]*' || echo "?")
    echo "fuzz $t: $execs inputs, coverage $cov edges, no findings, $(( $(date +%s) - start )) s"
  else
    echo "fuzz $t: FINDING after $(( $(date +%s) - start )) s — see $out/run-$t.log and $out/crash-$t-*"
    grep -a -m3 -E 'Fatal error|ERROR: AddressSanitizer|deadly signal|SUMMARY' "$out/run-$t.log" || true
    status=1
  fi
done
exit $status
