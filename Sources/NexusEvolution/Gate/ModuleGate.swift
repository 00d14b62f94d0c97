import NexusCore
import NexusModules
import NexusPOSIX
import NexusStore

/// The module gate (issue 14, pipeline step 2): every check a module folder must pass before a person
/// is asked to approve it. It never touches the folder it is given: each run works on a copy in a scratch
/// directory, and every check that reads or runs module code runs in the sandbox in validate mode.
///
/// Order: the manifest (Swift, at once); syntax and policy (one sandboxed static pass, no module code
/// runs) while the tests runner prepares its copies and mutants; then, only if those hold, protocol and
/// tests+mutants in parallel; the contract check last. A failure of the gate itself (no jailer, no runner
/// scripts) is thrown, never a failed check.
public struct ModuleGate: Sendable {
    let sandbox: GateSandbox
    let scratchRoot: String
    /// Check g, when a spec or mock exists (the contract farm); nil skips it.
    let contract: ContractCheck.Hook?
    /// The gate's own Python (templates/python/gate).
    var runnerDirectory: String { sandbox.templates + "/gate" }

    /// - Parameters:
    ///   - nexusExecutable: this binary (the jailer is `nexus sandbox exec`).
    ///   - templatesDirectory: templates/python (the runtime helper and gate/).
    ///   - home, config: passed to the jailer so it derives its paths from them, not from $HOME.
    ///   - bus: each sandboxed run's end is published there as `.sandboxRun` (issue 16).
    public init(
        nexusExecutable: String, templatesDirectory: String, home: String? = nil, config: String? = nil,
        sandboxConfig: SandboxConfig = SandboxConfig(), scratchRoot: String? = nil, contract: ContractCheck.Hook? = nil,
        bus: EventBus? = nil
    ) {
        self.contract = contract
        ProcessControl.ignoreBrokenPipe()
        self.sandbox = GateSandbox(
            nexusExecutable: nexusExecutable, home: home, config: config, templates: templatesDirectory,
            memoryMB: sandboxConfig.validate.memoryMB, bus: bus)
        self.scratchRoot = scratchRoot ?? (Environment.get("TMPDIR") ?? "/tmp")
    }

    /// Runs every check on `folder` and reports each one. Throws `GateError` when the gate cannot run.
    public func run(folder: String) async throws(GateError) -> GateReport {
        let start = MonotonicClock.nanoseconds()
        switch FileSystem.kind(of: folder) {
        case .directory: break
        case .missing: throw .noFolder(folder)
        default: throw .notAFolder(folder)
        }
        guard FileSystem.kind(of: runnerDirectory + "/gate_static.py") == .file else {
            throw .noRunner(runnerDirectory)
        }
        let scratch = try GateScratch.make(in: scratchRoot)
        defer { ModuleFiles.removeTree(scratch.root) }
        var report: GateReport
        do {
            try ModuleFiles.copyTree(folder, to: scratch.workspace)
            try ModuleFiles.copyTree(folder, to: scratch.protocolWorkspace)
        } catch {
            // A link out of the folder (or an unreadable file) is the policy's business; nothing else runs.
            let t = Self.seconds(since: start)
            let why = "not run: the folder cannot be copied for checking"
            let evidence = "the folder cannot be copied for checking: \(error.userMessage)"
            let skipped = ["manifest", "protocol", "tests", "mutation"].map { GateCheck.skip($0, why) }
            report = GateReport(
                checks: [.skip("syntax", why), .fail("policy", .policy, evidence, seconds: t)] + skipped
                    + [ContractCheck.run()])
            report.seconds = t
            return report
        }
        let manifestResult = await ManifestCheck.run(workspace: scratch.workspace)
        // The tests runner starts now and prepares (copies, mutants) while the static checks run; it waits
        // for its nonce, which it only gets if they pass: no module code runs before that.
        let prepared = try manifestResult.manifest.flatMap { (m) throws(GateError) -> TestsCheck.Prepared? in
            try TestsCheck.prepare(sandbox: sandbox, workspace: scratch.workspace, scratch: scratch, manifest: m)
        }
        let statics: [GateCheck]
        do {
            statics = try await StaticChecks.run(sandbox: sandbox, scratch: scratch)
        } catch {
            await TestsCheck.cancel(prepared, sandbox: sandbox)
            throw error
        }
        var checks = statics + [manifestResult.check]
        report = GateReport(checks: checks)
        if let blocker = checks.first(where: { !$0.passed }) {
            await TestsCheck.cancel(prepared, sandbox: sandbox)
            let why = "not run: the \(blocker.name) check failed"
            checks += ["protocol", "tests", "mutation"].map { GateCheck.skip($0, why) }
        } else if let manifest = manifestResult.manifest {
            if Task.isCancelled {
                await TestsCheck.cancel(prepared, sandbox: sandbox)
                throw .cancelled
            }
            async let proto = ProtocolCheck.run(
                sandbox: sandbox, workspace: scratch.protocolWorkspace, scratch: scratch, manifest: manifest)
            let tests = try await TestsCheck.run(prepared, sandbox: sandbox)
            let protocolResult = await proto
            if Task.isCancelled { throw .cancelled }  // killed runs are not failed checks
            checks += [protocolResult.check, tests.tests, tests.mutation]
            report.tools = protocolResult.tools
            report.testsPassed = tests.testsPassed
            report.testsTotal = tests.testsTotal
            report.mutantsKilled = tests.mutantsKilled
            report.mutantsTotal = tests.mutantsTotal
        }
        let dynamicOK = checks.allSatisfy { $0.passed }
        checks.append(
            dynamicOK
                ? await ContractCheck.run(contract, manifest: manifestResult.manifest, folder: scratch.workspace)
                : ContractCheck.run())
        report.checks = checks
        // A run killed by cancellation is not a failed check: say cancelled, whichever stage it hit.
        if Task.isCancelled { throw .cancelled }
        report.seconds = Self.seconds(since: start)
        return report
    }

    static func seconds(since start: UInt64) -> Double { Double(MonotonicClock.nanoseconds() - start) / 1e9 }
}
