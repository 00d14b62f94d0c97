import NexusCore
import NexusPOSIX

/// The two reader threads: stdout frames (answers, server requests, notifications) and stderr (the log).
extension MCPClient {
    func startReaders() {
        // A reader parks in read(2): a small stack, many modules (only touched pages cost memory). The stdout reader
        // parses what the module writes, as deep as `JSONValue.maxDepth`, and a debug build needs about 1.7 KiB a
        // level for that: 256 KiB overflowed at 150 levels and one line from a module ended nexus with SIGSEGV.
        let stdoutStarted = DetachedThread.start(name: "mcp-\(process.pid)-out", stackSize: 2 << 20) { [self] in
            readStdout()
        }
        DetachedThread.start(name: "mcp-\(process.pid)-err", stackSize: 256 << 10) { [self] in readStderr() }
        if !stdoutStarted {
            fail(all: .notConnected(module: module), closing: true)
        }
    }

    private func readStdout() {
        var line: [UInt8] = []
        var discarding = false
        var buf = [UInt8](repeating: 0, count: 65536)
        let fd = process.stdout
        readLoop: while true {
            let n = Descriptor.read(fd, into: &buf)
            if n <= 0 { break }
            var start = 0
            for i in 0..<n where buf[i] == UInt8(ascii: "\n") {
                if !discarding {
                    line.append(contentsOf: buf[start..<i])
                    handleFrame(line)
                }
                discarding = false
                line.removeAll(keepingCapacity: line.capacity <= 1 << 20)
                start = i + 1
            }
            if !discarding && start < n {
                line.append(contentsOf: buf[start..<n])
                if line.count > limits.maxFrameBytes {
                    // A runaway frame: stop buffering it and close the connection; memory stays bounded.
                    line = []
                    discarding = true
                    let e = MCPError.frameTooLarge(module: module, limit: limits.maxFrameBytes)
                    log.note(e.userMessage)
                    fail(all: e, closing: true)
                    process.closeStdin()
                    process.signal(.kill)
                }
            }
        }
        let (phase, closedByUs) = state.withLock { ($0.phase, $0.closed != nil) }
        if !process.reapIfExited(withinMs: 500) {
            if closedByUs {
                // Closed by nexus (retire, a failed handshake): not the module's fault; give a slow exit
                // (the jailer tearing down) more time before ending it.
                process.endAndReap(graceMs: 3000)
            } else {
                // Still running without a way to answer: say so at once, not after every call's timeout.
                let e = MCPError.closedOutput(module: module, during: phase, log: log.path)
                log.note(e.userMessage)
                fail(all: e, closing: true)
                process.endAndReap(graceMs: 500)
            }
        }
        // The error quotes stderr's tail (and names a known crash from it): give the stderr thread, which
        // reads what the process wrote last, a moment to reach end of file. This thread may block.
        for _ in 0..<50 where !state.withLock({ $0.stderrDone }) { Pause.milliseconds(10) }
        let status = process.exitDescription ?? "closed stdout"
        log.note("process ended: \(status)")
        let ended = MCPError.exited(
            module: module, status: status, during: phase, stderrTail: log.stderrTail, log: log.path)
        fail(all: ended, closing: true)
    }

    private func readStderr() {
        var buf = [UInt8](repeating: 0, count: 16384)
        let fd = process.stderr
        while true {
            let n = Descriptor.read(fd, into: &buf)
            if n <= 0 { break }
            if Self.contains(Array(buf[0..<n]), "server/discover") { state.withLock { $0.stderrNamedProbe = true } }
            log.stderr(buf[0..<n])
        }
        log.flushStderr()
        state.withLock { $0.stderrDone = true }
    }

    private func handleFrame(_ raw: [UInt8]) {
        var bytes = raw
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        if bytes.allSatisfy({ $0 == 32 || $0 == 9 }) { return }
        // A line that is not JSON is skipped and noted in the module log (`skip`).
        guard let msg = try? JSONValue(parsing: bytes) else {
            // Only a broken line that looks like JSON-RPC may have been an answer; a stray log line is not.
            skip("a line that is not JSON", bytes, mayBeAnAnswer: Self.contains(bytes, "jsonrpc"))
            return
        }
        if let batch = msg.arrayValue {
            for m in batch { handleMessage(m, raw: bytes) }
        } else {
            handleMessage(msg, raw: bytes)
        }
    }

    private func handleMessage(_ msg: JSONValue, raw: [UInt8]) {
        guard let o = msg.objectValue else {
            skip("a message that is not a JSON object", raw, mayBeAnAnswer: false)
            return
        }
        if let method = o["method"]?.stringValue {
            if let id = o["id"], !id.isNull {
                answerServerRequest(method: method, id: id)
            } else {
                handleNotification(method, params: o["params"])
            }
            return
        }
        guard let id = o["id"]?.intValue else {
            let what = o["id"].map { "an answer whose id is not a number (\($0.serialized.prefix(40)))" }
            skip(what ?? "a message with neither a method nor an id", raw, mayBeAnAnswer: what != nil)
            return
        }
        if let err = o["error"] {
            let method = state.withLock { $0.pending[id]?.method } ?? "request"
            let code = err["code"]?.intValue ?? 0
            let e: MCPError
            if Self.unsupportedVersionCodes.contains(code), let supported = err["data"]?["supported"]?.arrayValue {
                e = .versionRejected(module: module, method: method, supported: supported.compactMap(\.stringValue))
            } else {
                let message = err["message"]?.stringValue ?? err.serialized
                e = .rpcError(module: module, method: method, code: code, message: message)
            }
            if !resolve(id, .failure(e)) { log.note("error for unknown or finished request id \(id) ignored") }
        } else if let result = o["result"] {
            // How big the answer was, for the caller that bounds a sum of answers (`tools/list` pages).
            state.withLock { s in if s.pending[id] != nil { s.answerBytes[id] = raw.count } }
            if !resolve(id, .success(result)) { log.note("answer for unknown or finished request id \(id) ignored") }
        } else {
            skip("an answer with neither result nor error (id \(id))", raw, mayBeAnAnswer: true)
        }
    }

    /// The server may ask things of the client: answer `ping`, refuse the rest (nexus offers no
    /// sampling, roots or elicitation).
    private func answerServerRequest(method: String, id: JSONValue) {
        if method == "ping" {
            _ = send(["jsonrpc": "2.0", "id": id, "result": [:]])
        } else {
            _ = send([
                "jsonrpc": "2.0", "id": id,
                "error": ["code": -32601, "message": .string("nexus does not offer \(method)")],
            ])
        }
    }

    private func handleNotification(_ method: String, params: JSONValue?) {
        switch method {
        case "notifications/tools/list_changed":
            // Coalesced: a flood costs one flag, never a task or an allocation per notification.
            // The flag is set even before a handler is installed, so one that arrives in between is taken
            // up when the host installs it.
            let handler = state.withLock { s -> (@Sendable (MCPNotice) -> Void)? in
                guard !s.listChangedPending else { return nil }
                s.listChangedPending = true
                return s.onNotice
            }
            handler?(.toolsListChanged)
        case "notifications/message":
            log.note("server log: \(params?["data"]?.serialized ?? "")")
        default:
            break
        }
    }

    /// Skips a line nexus cannot use; `what` names it for the log and for a request's timeout message.
    /// `mayBeAnAnswer`: the line could have been the answer to a pending request, so a request that
    /// then times out says the module answered something unusable rather than nothing.
    private func skip(_ what: String, _ bytes: [UInt8], mayBeAnAnswer: Bool) {
        let count = state.withLock { s -> Int in
            s.skippedLines += 1
            if mayBeAnAnswer {
                s.unusableAnswers += 1
                s.lastSkipped = what
            }
            return s.skippedLines
        }
        if count <= 20 || count % 1000 == 0 {
            let preview = String(decoding: bytes.prefix(160), as: UTF8.self)
            log.note("stdout: \(what) (skipped, #\(count)): \(preview)")
        }
    }

    static func contains(_ bytes: [UInt8], _ word: String) -> Bool {
        let w = Array(word.utf8)
        guard bytes.count >= w.count else { return false }
        return (0...(bytes.count - w.count)).contains { i in bytes[i..<(i + w.count)].elementsEqual(w) }
    }
}
