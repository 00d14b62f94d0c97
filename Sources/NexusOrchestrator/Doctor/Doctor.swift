import NexusCore
import NexusPOSIX
import NexusStore

/// `nexus doctor`: one line per check — ok, warn or fail — each with the fix when there is one.
/// Checks are plain values so the CLI, `/doctor` and tests read the same results.
public struct DoctorCheck: Sendable, Equatable {
    public enum Status: String, Sendable { case ok, warn, fail }
    public var status: Status
    public var name: String
    public var detail: String
    public var fix: String?

    public init(_ status: Status, _ name: String, _ detail: String, fix: String? = nil) {
        self.status = status
        self.name = name
        self.detail = detail
        self.fix = fix
    }

    public var line: String {
        let tag = "[\(status.rawValue)]".padded(to: 6)
        return "\(tag) \(name.padded(to: 12)) \(detail)" + (fix.map { "\n              fix: \($0)" } ?? "")
    }
}

/// Runs the checks that need only the context; providers, libraries and the sandbox add theirs.
public enum Doctor {
    /// The config line of a config that loaded: its file and warning count, or that defaults are in use.
    static func configCheck(file: String, warnings: [String]) -> DoctorCheck {
        let kind = FileSystem.kind(of: file)
        guard kind == .file || kind == .other else {
            return DoctorCheck(
                .ok, "config", "no file at \(file); using defaults",
                fix: "optional: copy nexus.toml.example there to choose providers and routes")
        }
        let warn = warnings.isEmpty ? "" : " (\(warnings.count) warning(s) above)"
        return DoctorCheck(warnings.isEmpty ? .ok : .warn, "config", file + warn)
    }

    public static func basicChecks(_ ctx: NexusContext) -> [DoctorCheck] {
        var out: [DoctorCheck] = []
        out.append(configCheck(file: ctx.paths.configFile, warnings: ctx.warnings))
        let mode = FileSystem.mode(of: ctx.paths.home) ?? 0
        if mode & 0o077 != 0 {
            out.append(
                DoctorCheck(
                    .warn, "home", "\(ctx.paths.home) is readable by others (mode \(String(mode, radix: 8)))",
                    fix: "chmod 700 \(ctx.paths.home)"))
        } else {
            out.append(DoctorCheck(.ok, "home", ctx.paths.home))
        }
        // An extra line of the report; the database check above reports an unreadable database.
        if let steps = try? ctx.database.appliedStepsSummary() {
            out.append(DoctorCheck(.ok, "database", "\(ctx.paths.database) (schema steps \(steps); WAL)"))
        } else {
            out.append(DoctorCheck(.fail, "database", "cannot read \(ctx.paths.database)"))
        }
        if ctx.config.providers.isEmpty {
            out.append(
                DoctorCheck(
                    .fail, "providers", "no model provider is configured",
                    fix:
                        "set ANTHROPIC_API_KEY, OPENAI_API_KEY or GEMINI_API_KEY, start Ollama, or run `make run` for the local model"
                ))
        }
        if ctx.config.providers.contains(where: \.autostart) {
            let local = LocalModelServer.setup(home: ctx.paths.home)
            out.append(
                local.map { DoctorCheck(.ok, "local model", $0.modelPath) }
                    ?? DoctorCheck(
                        .warn, "local model", "not installed (\(ctx.paths.home)/local-model)",
                        fix: "`make run` offers to install llama.cpp + SmolLM2 when no provider is configured"))
        }
        return out
    }
}
