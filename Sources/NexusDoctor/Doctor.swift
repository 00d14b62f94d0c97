import NexusCore
import NexusOrchestrator
import NexusPOSIX
import NexusStore

/// `nexus doctor`, in one place: the config, home and database (also when they are what is broken), providers,
/// modules, the vault, the C libraries and the sandbox. It reads every layer and is imported by none; the
/// executable only prints its lines. Its own target, because two of its checks need parts the orchestrator must
/// not import: the sandbox's capability probe and the faces' C libraries (curses, libedit).
public enum Doctor {
    /// Every check, in the order printed. `open` is the normal start; when it throws, the degraded start checks
    /// config, home and database one by one and the rest run on defaults (see `degradedContext`).
    public static func run(
        open: () throws -> NexusContext, homeFlag: String?, configFlag: String?, environment: [String: String]
    ) async throws -> [DoctorCheck] {
        let ctx: NexusContext
        var checks: [DoctorCheck]
        var databaseUsable = true
        do {
            ctx = try open()
            checks = basicChecks(ctx)
        } catch {
            let d = try degradedContext(homeFlag: homeFlag, configFlag: configFlag, environment: environment)
            (ctx, checks, databaseUsable) = (d.context, d.checks, d.databaseUsable)
        }
        return checks + (await systemChecks(ctx, databaseUsable: databaseUsable))
    }

    /// The closing line: how many checks, and how many were ok, warned and failed.
    public static func summary(_ checks: [DoctorCheck]) -> String {
        let failed = checks.filter { $0.status == .fail }.count
        let warned = checks.filter { $0.status == .warn }.count
        return "\(checks.count) checks: \(checks.count - failed - warned) ok, \(warned) warn, \(failed) fail"
    }

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

    /// Config, home, database and provider configuration of a context that opened.
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
