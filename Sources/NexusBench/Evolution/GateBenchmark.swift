import NexusCore
import NexusEvolution

/// `nexus bench gate`: the module gate over testdata/gate-corpus: accepted and rejected per class, false
/// accepts and rejects against the issue's targets, and the gate's time per module.
enum GateBenchmark {
    static func run(executable: String, environment: [String: String], progress: @escaping BenchProgress) async
        -> [BenchRow]
    {
        guard let templates = GateTemplates.locate(environment: environment) else {
            return [.couldNotRun("gate", reason: "templates/python/gate not found (set NEXUS_TEMPLATES)")]
        }
        guard let root = GateCorpus.locate(templates: templates, environment: environment) else {
            return [.couldNotRun("gate", reason: "testdata/gate-corpus not found (set NEXUS_GATE_CORPUS)")]
        }
        let home = (environment["TMPDIR"] ?? "/tmp") + "/nexus-bench-gate-home"
        let gate = ModuleGate(nexusExecutable: executable, templatesDirectory: templates, home: home)
        let entries: [GateCorpus.Entry]
        do {
            entries = try await GateCorpus(root: root).run(gate: gate) { e in
                let verdict =
                    e.error.map { "error: \($0)" }
                    ?? (e.accepted ? "accepted" : "rejected (\(e.report?.firstFailure?.name ?? "?"))")
                progress("  \(e.kind.rawValue)/\(e.name): \(verdict) \(BenchmarkFormat.ms(e.seconds * 1000)) ms\n")
            }
        } catch {
            return [.couldNotRun("gate", reason: "\(error)")]
        }
        let s = GateCorpus.Summary(entries)
        func count(_ k: GateCorpus.Kind, accepted: Bool) -> Double {
            Double(accepted ? s.accepted[k] ?? 0 : (s.total[k] ?? 0) - (s.accepted[k] ?? 0))
        }
        var rows: [BenchRow] = []
        for k in GateCorpus.Kind.allCases {
            let total = s.total[k] ?? 0
            let good = k == .good
            let n = count(k, accepted: good)
            rows.append(
                BenchRow(
                    name: "\(k.rawValue): \(good ? "accepted" : "rejected") of \(total)", p50: n, p99: n,
                    unit: "modules",
                    target: good ? "≥ 90 %" : (k == .malicious ? "all" : "≥ 98 %"),
                    passed: good ? n >= 0.9 * Double(total) : (k == .malicious ? n == Double(total) : nil),
                    note: "accepted \(Int(count(k, accepted: true))), rejected \(Int(count(k, accepted: false)))"))
        }
        rows.append(
            BenchRow(
                name: "false accepts (broken + malicious)", p50: s.falseAcceptRate * 100, p99: s.falseAcceptRate * 100,
                unit: "%", target: "≤ 2 %, 0 malicious",
                passed: s.falseAcceptRate <= 0.02 && s.maliciousAccepted == 0))
        rows.append(
            BenchRow(
                name: "false rejects (good)", p50: s.falseRejectRate * 100, p99: s.falseRejectRate * 100, unit: "%",
                target: "≤ 10 %", passed: s.falseRejectRate <= 0.10))
        let rejectable = entries.filter { $0.kind != .good }
        let rightCategory = Double(rejectable.count(where: \.correct))
        rows.append(
            BenchRow(
                name: "rejected with the expected category", p50: rightCategory, p99: rightCategory, unit: "modules",
                target: "all \(rejectable.count)", passed: rightCategory == Double(rejectable.count),
                note: s.wrongCategory.isEmpty ? "" : s.wrongCategory.joined(separator: "; ")))
        let goodTimes = Stats(entries.filter { $0.kind == .good }.map { $0.seconds * 1000 }.filter(\.isFinite))
        let p50 = goodTimes.count == 0 ? .nan : goodTimes.p50
        rows.append(
            BenchRow(
                name: "gate, good module (~150 lines: adapter + tests)", p50: p50, p99: goodTimes.p99,
                target: "p50 ≤ 2000 ms", passed: BenchRow.atMost(p50, 2000),
                note: "\(goodTimes.count) modules, all checks"))
        let all = Stats(entries.map { $0.seconds * 1000 }.filter(\.isFinite))
        rows.append(
            BenchRow(
                name: "gate, whole corpus", p50: all.p50, p99: all.p99,
                note: "\(all.count) modules; rejected ones stop early"))
        return rows
    }
}
