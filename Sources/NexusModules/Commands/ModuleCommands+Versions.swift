import NexusCore

/// What `modules info` says about a module's versions: which is running, which are kept for `modules rollback`
/// and which are not (archived when the module was removed), and where a rollback would go.
extension ModuleCommands {
    /// `versions:` with what each is now (running, kept, or not kept: archived when the module was removed),
    /// and `rollback:` with where `modules rollback` would go, by the rule it uses.
    func versionLines(_ r: ModuleRecord) throws -> [String] {
        let versions = try installer.registry.versions(r.name)
        guard !versions.isEmpty, r.state != .archived, !r.isBuiltin else { return [] }
        let store = installer.versionStore
        let here = versions.filter { $0.seq == r.seq || store.has(r.name, seq: $0.seq) }
        let shown = here.map { v in
            let what = v.seq == r.seq ? "running" : v.sha256 == r.sha256 ? "same files" : "kept"
            return "v\(v.seq) \(v.version) (\(what))"
        }
        // Versions archived when the module was removed (or deleted by hand) in one run: v1–v7.
        let gone = Self.runs(versions.map(\.seq).filter { s in !here.contains { $0.seq == s } })
        let back = try installer.rollbackTarget(r).map { "to v\($0.seq) \($0.version)" }
        return [
            "versions: " + shown.joined(separator: ", ") + (gone.isEmpty ? "" : "; not kept: " + gone),
            "rollback: " + (back ?? "none (no earlier version with other files is kept)"),
        ]
    }

    /// `v1–v3, v5` for sequence numbers in order.
    static func runs(_ seqs: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        while i < seqs.count {
            var j = i
            while j + 1 < seqs.count && seqs[j + 1] == seqs[j] + 1 { j += 1 }
            parts.append(j > i ? "v\(seqs[i])–v\(seqs[j])" : "v\(seqs[i])")
            i = j + 1
        }
        return parts.joined(separator: ", ")
    }
}
