import NexusCore
import NexusModules

/// The `…with_history` rows of `nexus bench picker`: the same turns ranked for a person with a call history, so the
/// usage prior (`AppUsagePrior`) has something to go on. A separate setting beside the target rows, which
/// stay history-free.
///
/// The history is labelled tools of other turns, one successful call per turn: for the holdout, every tuning turn's
/// (as if the person had done the tuning turns before); for the tuning set, every other tuning turn's
/// (leave-one-out). A holdout turn's own label is never part of any history.
enum PickerUsageBenchmark {
    /// A ranker with the turn's prior: (query, k, prior) → tool indices, best first.
    typealias Rank = (String, Int, AppUsagePrior) -> [Int]

    static func rows(
        sets: [(String, [ToolCatalogFile.LabelledQuery])], catalogue label: String, index: ToolIndex,
        modes: [(String, Rank)], buildMs: Double, environment: [String: String], progress: BenchProgress
    ) -> [BenchRow] {
        let settings = self.settings(environment["NEXUS_PICKER_TUNE"] ?? "")
        let tuning = sets.first { $0.0 == "tuning" }?.1 ?? []
        var rows: [BenchRow] = []
        for (name, turns) in sets {
            let priors = histories(for: turns, leaveOneOut: name == "tuning", from: tuning)
                .mapValues { AppUsagePrior(visits: $0, index: index, settings: settings) }
            let calls = name == "tuning" ? tuning.count - 1 : tuning.count
            for (mode, rank) in modes {
                let s = PickerEvaluation.score(
                    tools: index.tools, turns: turns, rounds: mode == "lexical" ? 5 : 1
                ) { q, k in
                    guard let prior = priors[q] else { return [] }
                    return rank(q, k, prior)
                }
                var row = PickerRetrievalBenchmark.row(
                    set: name, catalogue: label, mode: mode + ".with_history", score: s, tools: index.count,
                    buildMs: buildMs)
                row.note =
                    "history: \(calls) calls, the labels of "
                    + (name == "tuning" ? "the other tuning turns" : "the tuning turns")
                    + " (prior \(settings.form.rawValue), strength \(settings.strength), saturation "
                    + "\(Int(settings.saturation))); " + row.note
                rows.append(row)
                if name == "tuning" {
                    progress(PickerRetrievalBenchmark.missText("\(name) \(label) \(mode) with history", s.misses))
                }
            }
        }
        return rows
    }

    /// Per turn, the calls of its history by module: every `tuning` turn's label but the turn's own.
    static func histories(
        for turns: [ToolCatalogFile.LabelledQuery], leaveOneOut: Bool, from tuning: [ToolCatalogFile.LabelledQuery]
    ) -> [String: [String: Int]] {
        var all: [String: Int] = [:]
        for t in tuning { all[ToolIndex.splitName(t.expected).namespace, default: 0] += 1 }
        var out: [String: [String: Int]] = [:]
        for t in turns {
            var calls = all
            if leaveOneOut { calls[ToolIndex.splitName(t.expected).namespace, default: 0] -= 1 }
            out[t.query] = calls
        }
        return out
    }

    /// The prior's settings, with NEXUS_PICKER_TUNE's `usageStrength`, `usageSaturation` and `usageForm`
    /// (`boost` | `tiebreak`) applied.
    static func settings(_ spec: String) -> AppUsagePrior.Settings {
        var s = AppUsagePrior.Settings()
        for pair in spec.split(separator: ",") {
            let kv = pair.split(separator: "=").map(String.init)
            guard kv.count == 2 else { continue }
            switch kv[0] {
            case "usageStrength": s.strength = Double(kv[1]) ?? s.strength
            case "usageSaturation": s.saturation = Double(kv[1]) ?? s.saturation
            case "usageForm": s.form = AppUsagePrior.Form(rawValue: kv[1]) ?? s.form
            case "sessionStrength": s.sessionStrength = Double(kv[1]) ?? s.sessionStrength
            default: continue
            }
        }
        return s
    }
}
