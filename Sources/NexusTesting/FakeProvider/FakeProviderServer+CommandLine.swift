import NexusCore
import NexusPOSIX

extension FakeProviderServer {
    /// Runs the fake server as a process (for end-to-end tests of the built binary, the test-support
    /// executable `nexus-fake-provider`): `--script FILE` (JSON, see `FakeScript`), `--port N` (default: any),
    /// `--protocol NAME` (prints that protocol's base URL too), `--record FILE` (each request appended
    /// as one JSON line). Prints `listening on http://127.0.0.1:PORT` and serves until killed.
    /// Returns an exit status only when it cannot start (2 = bad arguments or script).
    public static func runFromCommandLine(args: [String]) -> Int32 {
        var scriptPath: String?
        var port: UInt16 = 0
        var wire: FakeWireProtocol?
        var recordPath: String?
        var i = 0
        func value() -> String? {
            i += 1
            return i < args.count ? args[i] : nil
        }
        while i < args.count {
            switch args[i] {
            case "-h", "--help":
                writeFile(1, usage)
                return 0
            case "--script": scriptPath = value()
            case "--port":
                guard let v = value(), let p = UInt16(v) else { return fail("--port needs a number from 0 to 65535") }
                port = p
            case "--protocol":
                guard let v = value(), let w = FakeWireProtocol(rawValue: v) else {
                    return fail("--protocol must be one of: openai, anthropic, gemini, ollama")
                }
                wire = w
            case "--record": recordPath = value()
            default:
                return fail(
                    "unknown argument '\(args[i])' (expected --script, --port, --protocol, --record; see --help)")
            }
            i += 1
        }
        var script = FakeScript(replies: [.text("Hello from the fake provider.")], repeatLast: true)
        if let path = scriptPath {
            do { script = try FakeScript(json: try FileSystem.readText(path)) } catch {
                return fail("script \(path): \(error.userFacingDescription)")
            }
        }
        let server: FakeProviderServer
        do { server = try FakeProviderServer(models: script.models, port: port) } catch {
            return fail(error.userFacingDescription)
        }
        server.enqueue(contentsOf: script.replies)
        server.setRepeatLastReply(script.repeatLast)
        if let recordPath {
            let fd = Descriptor.openForAppend(recordPath, mode: 0o644)
            if fd < 0 { return fail("cannot open \(recordPath) for writing") }
            server.setRequestObserver { r in
                let line: JSONValue = [
                    "method": .string(r.method), "path": .string(r.path),
                    "headers": .object(JSONObject(r.headers.map { ($0.0, JSONValue.string($0.1)) })),
                    "body": .string(r.body),
                ]
                writeFile(fd, line.serialized + "\n")
            }
        }
        var out = "listening on \(server.url)\n"
        if let wire { out += "base_url \(server.baseURL(for: wire))\n" }
        writeFile(1, out)
        while true { Pause.milliseconds(3_600_000) }
    }

    static let usage = """
        usage: nexus-fake-provider [--script FILE] [--port N] [--protocol openai|anthropic|gemini|ollama]
                                   [--record FILE]

        A scripted model server on 127.0.0.1 speaking all four wire protocols (the path of each request picks
        one), for tests and for trying nexus against failures. Prints `listening on URL` (and `base_url URL` for
        --protocol) and serves until killed. Without --script every request gets "Hello from the fake provider."

          --script FILE   JSON: {"models": [...], "repeat_last": true, "replies": [REPLY, ...]}, one reply per
                          chat request in order (the last one again and again with repeat_last). A REPLY is one of
                            {"text": ["Hel", "lo"], "usage": {"input": 10, "output": 2}, "delay_ms": 20}
                            {"tool_call": {"name": "calc", "arguments": {"expression": "6*7"}, "id": "call_1"}}
                               (arguments as a string are sent as written: invalid JSON on purpose)
                            {"error": 429, "retry_after": "1"}   {"error": 500, "message": "boom"}
                            {"html": 502, "title": "502 Bad Gateway"}   a proxy's HTML page
                            {"drop_after": ["partial "]}          the connection closes mid-stream
                            {"hang": true}                        never answers
                            {"raw": ["data: {broken\\n\\n"], "status": 200, "content_type": "text/event-stream"}
          --port N        listen on this port (default: any free one)
          --protocol P    also print the base_url a nexus.toml provider of kind P takes
          --record FILE   append every request received as one JSON line

        """

    private static func fail(_ message: String) -> Int32 {
        writeFile(2, "fake provider: \(message)\n")
        return 2
    }

    /// write(2) for files, pipes and terminals (`send` only works on sockets).
    static func writeFile(_ fd: Int32, _ text: String) { Descriptor.writeAll(fd, Array(text.utf8)) }
}
