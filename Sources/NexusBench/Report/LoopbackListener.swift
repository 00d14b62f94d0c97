import NexusPOSIX

/// A listening TCP socket on 127.0.0.1 and a free port, for the suites' own small servers (the SSE stream of
/// the LLM suite, the OTLP collector of the tracing run): NexusPOSIX's `LoopbackSocket`.
enum LoopbackListener {
    /// The socket and its port; nil when none could be had.
    static func open(backlog: Int32) -> (fd: Int32, port: UInt16)? { LoopbackSocket.listen(backlog: backlog) }
}
