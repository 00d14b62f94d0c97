import NexusCore
import NexusPOSIX
import Synchronization

extension TUIApp {
    /// The render thread: starts curses, then composes and paints a frame whenever state changed,
    /// at most `maxFramesPerSecond` times a second (keys skip the wait), repainting only the cells
    /// that changed. Ends curses exactly once on the way out.
    func renderLoop(store: UIStore, stop: StopFlag, ready: ReadySignal) {
        guard
            let screen = CursesScreen(
                colorMode: options.color.rawValue, environment: options.environment, mouse: options.mouse)
        else {
            ready.signal(false)
            return
        }
        ready.signal(true)
        let frameNs = UInt64(1_000_000_000 / options.maxFramesPerSecond)
        var previous: CellGrid?
        var previousCursor: (row: Int, col: Int)?
        var lastFrame: UInt64 = 0
        var reportedSignal = false
        while !stop.isSet {
            let sig = TerminalGuard.terminated.load(ordering: .relaxed)
            if sig != 0, !reportedSignal {
                reportedSignal = true
                requestExit(128 + sig)
            }
            let now = MonotonicClock.nanoseconds()
            let urgent = store.urgent.exchange(false, ordering: .relaxed)
            if !urgent, now &- lastFrame < frameNs {
                Pause.milliseconds(Int((frameNs - (now &- lastFrame)) / 1_000_000))
            }
            store.wake.drain()
            if TerminalGuard.resized.exchange(false, ordering: .relaxed) {
                screen.resize()
                previous = nil
            }
            let t = MonotonicClock.nanoseconds()
            let (rows, cols) = (screen.rows, screen.cols)
            let frame = store.state.withLock { s in FrameComposer.compose(&s, width: cols, height: rows, nowNs: t) }
            let diff = FrameDiff.between(previous, frame.grid)
            let cursorMoved = frame.cursor?.row != previousCursor?.row || frame.cursor?.col != previousCursor?.col
            if !diff.runs.isEmpty || diff.isFull || cursorMoved {
                screen.draw(diff, cursor: frame.cursor)
            }
            previous = frame.grid
            previousCursor = frame.cursor
            lastFrame = t
            let busy = store.read { $0.busy }
            store.wake.wait(timeoutMs: busy ? 200 : 1000)
        }
        screen.stop()
    }
}

/// The input thread: raw bytes from stdin, decoded into keys, handed to the controller. Stops when
/// `stop` is woken or stdin closes (which quits the app).
func inputLoop(stop: WakePipe, controller: TUIController) {
    var decoder = KeyDecoder()
    var buf = [UInt8](repeating: 0, count: 4096)
    while true {
        var keys: [Key] = []
        switch stop.waitForInput(on: 0, timeoutMs: decoder.isWaiting ? 30 : -1) {
        case .woken:
            return
        case .timedOut:
            keys = decoder.flush()
        case .readable:
            let n = Descriptor.read(0, into: &buf)
            if n < 0, SystemError.current == SystemError.tryAgain { continue }
            if n <= 0 {
                controller.app.requestExit(0)
                return
            }
            keys = decoder.feed(buf[0..<n])
        case .hungUp:
            controller.app.requestExit(0)
            return
        }
        for k in keys { controller.handle(k) }
    }
}
