import NexusModules

/// Doctor lines for modules whose last failure has a known cause nexus can name (a server written for the
/// `mcp` 1.x package crashing under 2.x), so `nexus doctor` says what to do instead of "failing".
extension Doctor {
    public static func moduleCompatibilityChecks(_ records: [ModuleRecord]) -> [DoctorCheck] {
        records.compactMap { r in
            guard r.state == .enabled, let e = r.lastError,
                let problem = MCPCompatibility.knownProblem(stderr: e)
                    ?? (e.contains(MCPCompatibility.mcp2Sentence) ? MCPCompatibility.mcp2Sentence : nil)
            else { return nil }
            return DoctorCheck(
                .warn, "module", "\(r.name): \(problem)",
                fix:
                    "reinstall it into a venv with `pip install <package> 'mcp<2'`, then `nexus modules test \(r.name)`"
            )
        }
    }
}
