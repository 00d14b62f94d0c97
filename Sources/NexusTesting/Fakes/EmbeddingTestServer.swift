import NexusCore
import NexusPOSIX
import NexusStore

/// A real embeddings server over loopback for tests: a small Python process that answers the OpenAI-compatible
/// `/v1/embeddings` or Ollama's `/api/embed` with deterministic bag-of-words vectors (64 dimensions, one per
/// word hash), or misbehaves on purpose (`slow`: answers after 2 s; `garbage`: vectors of strings; `huge`: at
/// once, one vector of 8 million numbers, 32 MB of JSON).
///
/// Every request's number of texts is appended to `requests.log` (`textsPerRequest`), and `answerAs(model:
/// dimensions:)` swaps the model the server names and its vector size at run time, as a user swapping the
/// embedding backend behind the same URL would.
public final class EmbeddingTestServer: Sendable {
    public enum Mode: String, Sendable { case openai, ollama, slow, garbage, huge }

    public let port: Int
    let pid: Int32
    let dir: TemporaryDirectory

    public var openAIURL: String { "http://127.0.0.1:\(port)/v1/embeddings" }
    public var ollamaURL: String { "http://127.0.0.1:\(port)/api/embed" }

    public init?(_ mode: Mode) {
        dir = TemporaryDirectory(prefix: "nexus-embed")
        let script = dir.write("embed.py", Self.script)
        let portFile = dir.path + "/port"
        var options = SpawnOptions()
        options.stdout = .null
        options.stderr = .appending(path: dir.path + "/stderr")
        guard
            // No python3: the test's #require(EmbeddingTestServer(...)) fails and says so.
            let pid = try? ChildProcess.spawn(
                ["python3", script, portFile, mode.rawValue], executable: "/usr/bin/python3", options)
        else { return nil }
        self.pid = pid
        var found: Int?
        // Up to 30 s: a loaded machine can take seconds to start Python (the `huge` mode builds 32 MB first).
        for _ in 0..<600 {
            // Not written yet: poll again.
            if let text = try? FileSystem.readText(portFile), let p = Int(text.trimmingSpaces), p > 0 {
                found = p
                break
            }
            Pause.milliseconds(50)
        }
        guard let found else {
            ProcessControl.send(.kill, to: pid)
            _ = ChildProcess.reap(pid, within: 1)
            return nil
        }
        port = found
    }

    /// The number of texts in each request so far, oldest first.
    public var textsPerRequest: [Int] {
        ((try? FileSystem.readText(dir.path + "/requests.log")) ?? "").split(separator: "\n").compactMap { Int($0) }
    }

    /// From the next request on, answer as `model` (named in the answer) with vectors of `dimensions`.
    public func answerAs(model: String, dimensions: Int) {
        // Atomic, so the server never reads half a file; a test that cannot write its temporary directory fails
        // on its own expectations right after.
        let control = #"{"model": "\#(model)", "dims": \#(dimensions)}"#
        try? FileSystem.writeAtomically(dir.path + "/control.json", text: control)
    }

    deinit {
        ProcessControl.send(.kill, to: pid)
        _ = ChildProcess.reap(pid, within: 1)
    }

    /// The server itself; `EMBED_TEST_PORT` in its environment fixes its port (else the system picks one).
    public static let script = #"""
        import json, sys, time, zlib, os
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        port_file, mode = sys.argv[1], sys.argv[2]

        here = os.path.dirname(os.path.abspath(__file__))

        def control():
            try:
                with open(os.path.join(here, "control.json")) as f:
                    return json.load(f)
            except (OSError, ValueError):
                return {}

        def vec(text, dims=64):
            v = [0.0] * dims
            for w in text.lower().replace(":", " ").replace("_", " ").split():
                v[zlib.crc32(w.encode()) % dims] += 1.0
            return v

        huge = b'{"data":[{"index":0,"embedding":[' + b",".join([b"0.5"] * 8_000_000) + b"]}]}" if mode == "huge" else b""

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass
            def do_POST(self):
                req = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                texts = req["input"] if isinstance(req["input"], list) else [req["input"]]
                with open(os.path.join(here, "requests.log"), "a") as f:
                    f.write(f"{len(texts)}\n")
                ctl = control()
                if mode == "slow":
                    time.sleep(2)
                if mode == "garbage":
                    out = {"data": [{"index": 0, "embedding": ["x"]}]}
                elif self.path.startswith("/api/embed"):
                    out = {"model": req.get("model"), "embeddings": [vec(t) for t in texts]}
                else:
                    dims = int(ctl.get("dims", 64))
                    pairs = reversed(list(enumerate(texts)))
                    out = {"data": [{"index": i, "embedding": vec(t, dims)} for i, t in pairs]}
                    if "model" in ctl:
                        out["model"] = ctl["model"]
                body = huge if mode == "huge" else json.dumps(out).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        srv = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("EMBED_TEST_PORT", "0"))), H)
        with open(port_file + ".tmp", "w") as f:
            f.write(str(srv.server_address[1]))
        os.rename(port_file + ".tmp", port_file)
        srv.serve_forever()
        """#
}
