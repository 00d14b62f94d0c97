import NexusCore

/// `nexus evolve status`: how builds fare per scenario and per failure category, with the template version of
/// each scenario's latest round and the curriculum's next choice. Text fits 80 columns; `--json` is one object.
public enum EvolveStatusText {
    public static func text(scenarios: [String], record: [EvolveAttempt], template: String) -> String {
        let s = EvolveStanding(record)
        var out = [
            "evolve: \(s.rounds) round\(s.rounds == 1 ? "" : "s"), \(Money.dollars(s.costUSD, decimals: 4)); "
                + "builds use template \(template)",
            "",
            row(["scenario", "level", "rounds", "solved", "failed", "rep/ok", "template", "last"]),
        ]
        for name in names(scenarios, s) {
            let x = s.scenarios[name] ?? EvolveStanding.Scenario(scenario: name)
            let perSolve = x.solved == 0 ? "-" : fixed(Double(x.repairsOnSolved) / Double(x.solved))
            let last = x.last.map { "\($0.rawValue) L\(x.lastLevel)" } ?? (x.stopped > 0 ? "stopped" : "-")
            out.append(
                row([
                    name, "\(x.level)/\(EvolveChallenge.maxLevel)", "\(x.rounds)", "\(x.solved)", "\(x.failed)",
                    perSolve, x.templateVersion.isEmpty ? "-" : x.templateVersion, last,
                ]))
        }
        out.append("level: the highest solved of \(EvolveChallenge.maxLevel); rep/ok: repairs per solved round")
        out.append("")
        if s.categories.isEmpty {
            out.append("failure categories: none recorded yet")
        } else {
            out.append(categoryRow(["failure category", "rounds", "repaired", "fix rate", "attempts"]))
            for c in s.categories.values.sorted(by: { $0.category < $1.category }) {
                out.append(
                    categoryRow([
                        c.category, "\(c.rounds)", "\(c.repaired)", "\(Int((c.fixRate * 100).rounded()))%",
                        "\(c.attempts)",
                    ]))
            }
            if let w = s.weakestCategory { out.append("weakest: \(w)") }
        }
        if let next = Curriculum.next(scenarios: scenarios, record: record) {
            out.append("next: \(next.scenario), level \(next.level) (\(EvolveChallenge.levelName(next.level)))")
            out.append("  because: \(next.reason)")
        }
        return out.joined(separator: "\n")
    }

    public static func json(scenarios: [String], record: [EvolveAttempt], template: String) -> JSONValue {
        let s = EvolveStanding(record)
        let rows: [JSONValue] = names(scenarios, s).map { name in
            let x = s.scenarios[name] ?? EvolveStanding.Scenario(scenario: name)
            return .object(
                JSONObject([
                    ("scenario", .string(name)), ("level", .number(Double(x.level))),
                    ("rounds", .number(Double(x.rounds))), ("solved", .number(Double(x.solved))),
                    ("failed", .number(Double(x.failed))), ("stopped", .number(Double(x.stopped))),
                    ("repairs_on_solved", .number(Double(x.repairsOnSolved))),
                    ("categories", .array(x.categories.sorted().map { .string($0) })),
                    ("template_version", x.templateVersion.isEmpty ? .null : .string(x.templateVersion)),
                    ("last", x.last.map { .string($0.rawValue) } ?? .null),
                    ("cost_usd", .number(x.costUSD)),
                ]))
        }
        let categories: [JSONValue] = s.categories.values.sorted(by: { $0.category < $1.category }).map {
            .object(
                JSONObject([
                    ("category", .string($0.category)), ("rounds", .number(Double($0.rounds))),
                    ("repaired", .number(Double($0.repaired))), ("attempts", .number(Double($0.attempts))),
                ]))
        }
        let next = Curriculum.next(scenarios: scenarios, record: record)
        return .object(
            JSONObject([
                ("rounds", .number(Double(s.rounds))), ("cost_usd", .number(s.costUSD)),
                ("template_version", .string(template)), ("scenarios", .array(rows)),
                ("categories", .array(categories)), ("weakest", s.weakestCategory.map { .string($0) } ?? .null),
                (
                    "next",
                    next.map {
                        .object(
                            JSONObject([
                                ("scenario", .string($0.scenario)), ("level", .number(Double($0.level))),
                                ("reason", .string($0.reason)),
                            ]))
                    } ?? .null
                ),
            ]))
    }

    /// The farm's scenarios, then any the record names that the farm no longer has.
    static func names(_ scenarios: [String], _ s: EvolveStanding) -> [String] {
        scenarios.sorted() + s.scenarios.keys.filter { !scenarios.contains($0) }.sorted()
    }

    static let widths = [26, 5, 6, 6, 6, 6, 8, 9]

    static func row(_ cells: [String]) -> String {
        zip(cells, widths).enumerated().map { i, p in
            let cell = p.0.count > p.1 ? String(p.0.prefix(p.1 - 1)) + "…" : p.0
            return i == 0 || i >= 6
                ? cell.padded(to: p.1) : String(repeating: " ", count: max(0, p.1 - cell.count)) + cell
        }.joined(separator: " ").trimmingTrailingSpaces
    }

    static func categoryRow(_ cells: [String]) -> String {
        zip(cells, [26, 6, 8, 8, 8]).enumerated().map { i, p in
            i == 0 ? p.0.padded(to: p.1) : String(repeating: " ", count: max(0, p.1 - p.0.count)) + p.0
        }.joined(separator: " ")
    }

    static func fixed(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
