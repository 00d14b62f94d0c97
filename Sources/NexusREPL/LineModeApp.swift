import NexusCore
import NexusOrchestrator

/// Line mode (DESIGN §4.1): a prompt on a terminal, every line a turn when piped, or one `-p` turn.
/// It is a face: it renders bus events and calls `AgentSession`, nothing more.
public final class LineModeApp: Sendable {
    let session: any AgentSession
    let source: any LineSource
    let renderer: EventRenderer
    let interactive: Bool

    public init(session: any AgentSession, source: any LineSource, renderer: EventRenderer, interactive: Bool) {
        self.session = session
        self.source = source
        self.renderer = renderer
        self.interactive = interactive
    }

    /// Terminal line mode that shows the prompt before the session is built: providers, modules and the
    /// vault are set up while the person types the first line, so the prompt appears at once.
    public static func runWhileStarting<Parts: Sendable>(
        source: any LineSource, renderer: EventRenderer, banner: String?,
        start: @escaping @Sendable () async throws -> Parts, session: @Sendable (Parts) -> any AgentSession
    ) async throws -> (ExitStatus, Parts) {
        let pending = Task { try await start() }
        // Ctrl-C at this first prompt is what it is at every later one (no turn runs yet: "again to quit");
        // without a watcher here the default action killed nexus mid start-up.
        let interrupts = InterruptWatcher(onInterrupt: { source.interruptRead() })
        if let banner { OutputSink.stderr.write(banner) }
        var first: String?
        while let line = await source.readLine(prompt: "nexus> ") {
            if !Self.isBlank(line) {
                first = line
                break
            }
        }
        let parts: Parts
        do { parts = try await pending.value } catch {
            interrupts.stop()
            throw error
        }
        guard let first else {
            interrupts.stop()
            source.close()
            OutputSink.stderr.write("\n")
            return (.success, parts)
        }
        let app = LineModeApp(session: session(parts), source: source, renderer: renderer, interactive: true)
        return (await app.run(firstLine: first, interrupts: interrupts), parts)
    }

    /// Reads and runs lines until end of input or `/quit`; returns the exit status.
    /// `firstLine`, when given, runs before anything is read.
    public func run(banner: String? = nil, firstLine: String? = nil) async -> ExitStatus {
        await run(banner: banner, firstLine: firstLine, interrupts: nil)
    }

    /// `interrupts`: the watcher already installed at the first prompt (`runWhileStarting`), now pointed at
    /// the session; nil installs one.
    func run(banner: String? = nil, firstLine: String?, interrupts existing: InterruptWatcher?) async -> ExitStatus {
        let subscription = session.bus.subscribe(.lossless)
        let pump = RenderPump(subscription: subscription, renderer: renderer)
        // The line being typed first (none while a turn runs), then the turn: a turn that ends on the cancel
        // must not see its next prompt drawn twice.
        let cancel: @Sendable () -> Void = { [session, source] in
            source.interruptRead()
            session.cancelCurrentTurn()
        }
        let interrupts = existing ?? InterruptWatcher(onInterrupt: cancel)
        interrupts.setHandler(cancel)
        defer {
            interrupts.stop()
            source.close()
        }
        if let banner, interactive { OutputSink.stderr.write(banner) }
        var status: ExitStatus = .success
        var pendingFirst = firstLine
        while true {
            let next: String?
            if let first = pendingFirst {
                next = first
                pendingFirst = nil
            } else {
                next = await source.readLine(prompt: interactive ? "nexus> " : "")
            }
            guard let line = next else { break }
            if Self.isBlank(line) { continue }
            let outcome = await session.submit(line)
            await pump.drainTurn()
            if let lost = reportLostOutput() { return lost }
            switch outcome {
            case .quit: return status
            case .failed(let s) where !interactive: status = s
            case .approvalDenied where !interactive: status = .approvalNeeded
            default: break
            }
        }
        if interactive { OutputSink.stderr.write("\n") }
        return status
    }

    /// One turn from `-p`: its answer on stdout; the exit status of that turn. `notices` (what happened to
    /// piped input) are shown first, as `notice` events.
    public func runOnce(_ prompt: String, notices: [String] = []) async -> ExitStatus {
        let subscription = session.bus.subscribe(.lossless)
        let pump = RenderPump(subscription: subscription, renderer: renderer)
        for n in notices { session.bus.publish(turn: 0, .notice(n)) }
        let interrupts = InterruptWatcher(onInterrupt: { [session] in session.cancelCurrentTurn() })
        defer { interrupts.stop() }
        // Nothing to run, and nothing would end the wait below; `checkPrompt` explains this to the user.
        if Self.isBlank(prompt) { return .usage }
        let outcome = await session.submit(prompt)
        await pump.drainTurn()
        if let lost = reportLostOutput() { return lost }
        switch outcome {
        case .done, .quit, .cleared: return .success
        case .failed(let s): return s
        case .cancelled: return .failure
        case .approvalDenied: return .approvalNeeded
        }
    }

    /// Whether `line` is blank as the session sees it (all whitespace, Unicode's included). A blank line
    /// is not submitted: the session ignores it without a `turn_finished`, which `drainTurn` would await
    /// forever. Every other line, slash commands included, ends with exactly one.
    public static func isBlank(_ line: String) -> Bool {
        line.allSatisfy(\.isWhitespace)
    }

    /// The usage error for a `-p` prompt with nothing in it (exit 2), checked before a session is built.
    public static func checkPrompt(_ prompt: String, fromStdin: Bool) throws(NexusError) {
        guard isBlank(prompt) else { return }
        throw NexusError(
            "-p: the prompt is empty",
            hint: fromStdin
                ? "standard input held no prompt; pipe one in (echo 'what is 6*7?' | nexus -p -)"
                : "give the question after -p: nexus -p 'what is 6*7?'",
            exit: .usage)
    }

    /// When stdout failed for good (a full disk, a closed descriptor): says so once on stderr and returns
    /// the exit status, so no more turns are paid for and lost.
    func reportLostOutput() -> ExitStatus? {
        guard let failure = renderer.out.failure else { return nil }
        renderer.err.write("nexus: \(failure.message)\n")
        return .failure
    }
}

/// Renders events in order and lets the reader wait until the current submission's events are out.
final class RenderPump: Sendable {
    private let finished: AsyncStream<Void>
    private let task: Task<Void, Never>

    init(subscription: EventSubscription, renderer: EventRenderer) {
        let (stream, cont) = AsyncStream<Void>.makeStream()
        finished = stream
        task = Task.detached {
            var state = RenderState()
            for await e in subscription.events {
                if renderer.render(e, state: &state) { cont.yield() }
            }
            cont.finish()
        }
    }

    /// Waits for the `turn_finished` event of the submission that just returned (never call it after a blank
    /// line: see `LineModeApp.isBlank`).
    func drainTurn() async {
        for await _ in finished { return }
    }
}
