#!/usr/bin/env bash
# Times the picker's semantic scan (SemanticIndex.rank: 9,197 tools x 384 dimensions, top 50) in an optimised
# build, without building all of nexus in release: SemanticIndex.swift is compiled alone with `swiftc -O`
# beside a small harness. Prints p50/p99 of the scan and, for comparison, of the plain scalar loop it replaced.
# Usage: [OPT=-Onone] scripts/semantic-scan-bench.sh [tools] [dimensions]   (OPT=-Onone: as in a debug build)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-9197}"; d="${2:-384}"
dir=$(mktemp -d /tmp/nexus-scan-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
# The index and its top-k only (HybridRanker, in its own file, needs the lexical ToolIndex: not under test here).
sed 's/^public struct SemanticIndex/struct SemanticIndex/' Sources/NexusModules/ToolPicker/SemanticIndex.swift \
  > "$dir/SemanticIndex.swift"
cat > "$dir/main.swift" <<SWIFT
import Glibc
public enum ToolIndex { public struct Match: Sendable, Equatable { public let index: Int; public let score: Double } }
func now() -> UInt64 { var t = timespec(); clock_gettime(CLOCK_MONOTONIC, &t); return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec) }
var rng = SystemRandomNumberGenerator()
let n = $n, d = $d
let vs: [[Float]?] = (0..<n).map { _ in (0..<d).map { _ in Float.random(in: -1...1, using: &rng) } }
let idx = SemanticIndex(dimension: d, vectors: vs)
func scalar(_ q: [Float]) -> [Float] {
    var scores = [Float](repeating: 0, count: n)
    idx.vectors.withUnsafeBufferPointer { m in q.withUnsafeBufferPointer { qp in
        for i in 0..<n { var s: Float = 0; let base = i * d; for j in 0..<d { s += m[base + j] * qp[j] }; scores[i] = s } } }
    return scores
}
var a: [Double] = [], b: [Double] = [], c: [Double] = [], sink = 0
for _ in 0..<300 {
    let q = SemanticIndex.normalised((0..<d).map { _ in Float.random(in: -1...1, using: &rng) })!
    let tail = (0..<d).map { _ in Float.random(in: -1...1, using: &rng) }
    var t = now(); sink &+= idx.rank(q, k: 50).count; a.append(Double(now() - t) / 1e6)
    t = now(); sink &+= scalar(q).count; b.append(Double(now() - t) / 1e6)
    t = now(); sink &+= idx.rank(bestOf: [q, tail], k: 50).count; c.append(Double(now() - t) / 1e6)
}
a.sort(); b.sort(); c.sort()
func f(_ x: Double) -> String { String(Double(Int(x * 1000)) / 1000) }
print("semantic scan, \(n) x \(d), top 50 (swiftc ${OPT:--O}): p50 \(f(a[150])) ms, p99 \(f(a[296])) ms; "
    + "scalar loop it replaced: p50 \(f(b[150])) ms, p99 \(f(b[296])) ms; "
    + "a long turn (best of two vectors): p50 \(f(c[150])) ms, p99 \(f(c[296])) ms (\(sink))")
SWIFT
swiftc "${OPT:--O}" "$dir/SemanticIndex.swift" "$dir/main.swift" -o "$dir/scan"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$dir/scan"
