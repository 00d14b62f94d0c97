import NexusCore
import NexusOrchestrator
import NexusPOSIX
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The full-screen face of NEXUS: a subscriber of the session's event bus and a caller of its
/// public API (`submit`, `cancelCurrentTurn`, `completions`, `status`), nothing more.
///
/// Three threads of control: a render thread that alone owns curses, an input thread reading raw
/// bytes from stdin, and async tasks folding bus events and status snapshots into the shared
/// `UIState`. `run()` returns the exit status once the person quits (Ctrl-D, `/quit`) or a
/// SIGTERM/SIGHUP arrives; the terminal is restored exactly in every case.
///
/// ```swift
/// let interaction = TUIInteraction()
/// let session = Orchestrator(context: ctx, interaction: interaction)   // the lead's wiring
/// let app = TUIApp(session: session, options: TUIOptions(color: ctx.config.ui.color,
///                                                        environment: ctx.environment),
///                  interaction: interaction)
/// exit(await app.run())
/// ```
public final class TUIApp: Sendable {
    public let session: any AgentSession
    public let options: TUIOptions
    /// Pass this to the orchestrator: approvals and secrets are asked inline in the TUI.
    public let interaction: TUIInteraction
    let exitCode = Mutex<(code: Int32?, waiter: CheckedContinuation<Int32, Never>?)>((nil, nil))

    public init(
        session: any AgentSession, options: TUIOptions = TUIOptions(), interaction: TUIInteraction = TUIInteraction()
    ) {
        self.session = session
        self.options = options
        self.interaction = interaction
    }

    /// Runs until the person quits. Returns 0, or 128+signal after SIGTERM/SIGHUP, or 1 when the
    /// terminal could not be set up.
    public func run() async -> Int32 {
        guard isatty(0) == 1, isatty(1) == 1 else {
            Self.stderr("nexus: the TUI needs a terminal on stdin and stdout\n  hint: use --plain for line mode\n")
            return ExitStatus.usage.rawValue
        }
        guard let renderWake = WakePipe(), let inputStop = WakePipe() else {
            Self.stderr("nexus: could not create a pipe for the TUI (out of file descriptors?)\n")
            return ExitStatus.failure.rawValue
        }
        defer {
            renderWake.close()
            inputStop.close()
        }
        var initial = UIState()
        initial.isColorless = options.color == .never || !(options.environment["NO_COLOR"] ?? "").isEmpty
        let store = UIStore(state: initial, wake: renderWake)
        let stopRender = StopFlag()
        let ready = ReadySignal()

        TerminalGuard.install(wake: renderWake)
        Self.useUTF8Locale()
        let subscription = session.bus.subscribe(.dropOldest(capacity: 8192))
        let render = NativeThread(name: "nexus-render") { [self] in
            renderLoop(store: store, stop: stopRender, ready: ready)
        }
        guard render.isRunning, await ready.wait() else {
            stopRender.set()
            renderWake.wake()
            render.join()
            TerminalGuard.uninstall()
            subscription.cancelSubscription()
            Self.stderr(
                "nexus: could not start the terminal UI (TERM=\(options.environment["TERM"] ?? "unset"))\n"
                    + "  hint: set TERM to a known terminal (xterm-256color) or use --plain for line mode\n")
            return ExitStatus.failure.rawValue
        }
        interaction.attach(store)
        let controller = TUIController(app: self, store: store)
        let input = NativeThread(name: "nexus-input") { inputLoop(stop: inputStop, controller: controller) }

        let events = Task { [subscription] in
            for await e in subscription.events {
                store.update { s in
                    s.apply(e)
                    s.droppedEvents = subscription.droppedCount
                }
                if case .turnFinished = e.kind { await controller.refreshStatus() }
            }
        }
        let statusTask = Task { [options] in
            while !Task.isCancelled {
                await controller.refreshStatus()
                // Task.sleep throws only on cancellation, which the caller checks next.
                try? await Task.sleep(nanoseconds: Seconds.nanoseconds(options.statusRefreshSeconds))
            }
        }
        store.update { s in
            s.chat.add(ChatBlock(kind: .notice, text: "nexus — type a message, /help for commands, ? for keys"))
        }

        let code = await waitForExit()

        interaction.detach()
        events.cancel()
        statusTask.cancel()
        subscription.cancelSubscription()
        inputStop.wake()
        input.join()
        stopRender.set()
        renderWake.wake()
        render.join()
        TerminalGuard.uninstall()
        return code
    }

    /// Ends `run()` with `code` (the first request wins).
    func requestExit(_ code: Int32) {
        let waiter: CheckedContinuation<Int32, Never>? = exitCode.withLock { s in
            guard s.code == nil else { return nil }
            s.code = code
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: code)
    }

    func waitForExit() async -> Int32 {
        await withCheckedContinuation { (c: CheckedContinuation<Int32, Never>) in
            let done: Int32? = exitCode.withLock { s in
                if let code = s.code { return code }
                s.waiter = c
                return nil
            }
            if let done { c.resume(returning: done) }
        }
    }

    static func stderr(_ s: String) {
        var s = s
        s.withUTF8 { b in _ = write(2, b.baseAddress, b.count) }
    }
}

/// A one-shot flag the render thread raises once curses is up (or failed to come up).
final class ReadySignal: Sendable {
    private let state = Mutex<(value: Bool?, waiter: CheckedContinuation<Bool, Never>?)>((nil, nil))

    func signal(_ ok: Bool) {
        let w: CheckedContinuation<Bool, Never>? = state.withLock { s in
            guard s.value == nil else { return nil }
            s.value = ok
            defer { s.waiter = nil }
            return s.waiter
        }
        w?.resume(returning: ok)
    }

    func wait() async -> Bool {
        await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
            let v: Bool? = state.withLock { s in
                if let v = s.value { return v }
                s.waiter = c
                return nil
            }
            if let v { c.resume(returning: v) }
        }
    }
}

/// A flag one thread raises and another polls.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

extension TUIApp {
    /// The user's locale, but with UTF-8 characters: under `LANG=C` (or POSIX) curses would drop every
    /// non-ASCII character (é vanished, CJK became blanks) while the screen itself is drawn in UTF-8, so
    /// character handling falls back to glibc's built-in C.UTF-8.
    static func useUTF8Locale() {
        setlocale(LC_ALL, "")
        guard let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset) != "UTF-8" else { return }
        setlocale(LC_CTYPE, "C.UTF-8")
    }
}
