import NexusCore
import NexusPOSIX
import NexusStore

/// The scripted fake model server for benchmarks that drive whole turns (`nexus bench openapi`), run out of
/// process: `nexus-fake-provider`, the test-support executable built beside `nexus`, so the shipped binary
/// never links NexusTesting. Replies are scripted up front; every request it receives is recorded as a
/// JSON line that the benchmark reads back.
struct FakeModelProcess {
    let pid: Int32
    let baseURL: String
    let recordPath: String

    /// Starts it with `replies` (FakeScript JSON objects) in `dir`, from beside `nexusExecutable`; the reason
    /// when it cannot.
    static func start(
        replies: [JSONValue], dir: String, nexusExecutable: String
    ) -> Result<FakeModelProcess, NexusError> {
        let folder = nexusExecutable.lastIndex(of: "/").map { String(nexusExecutable[..<$0]) } ?? "."
        let executable = folder + "/nexus-fake-provider"
        guard FileSystem.isExecutable(executable) else {
            return .failure(
                NexusError("\(executable) is missing", hint: "build it with `swift build` (it is test support)"))
        }
        let script = dir + "/fake-script.json"
        let record = dir + "/fake-requests.jsonl"
        let out = dir + "/fake-provider.out"
        let body: JSONValue = ["models": ["fake-model"], "replies": .array(replies)]
        do {
            try FileSystem.writeAtomically(script, text: body.serialized)
            try FileSystem.writeAtomically(record, text: "")
        } catch { return .failure(NexusError("fake model script: \(error.userFacingDescription)")) }
        let argv = [executable, "--protocol", "openai", "--script", script, "--record", record]
        guard
            // A fake that does not start is reported below with its log.
            let pid = try? ChildProcess.spawn(
                argv, SpawnOptions(stdin: .null, stdout: .appending(path: out), stderr: .sameAsStdout))
        else {
            return .failure(NexusError("cannot start \(executable)"))
        }
        for _ in 0..<400 {
            // Not written yet: keep waiting.
            let text = (try? FileSystem.readText(out)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("base_url ") }) {
                return .success(
                    FakeModelProcess(pid: pid, baseURL: String(line.dropFirst("base_url ".count)), recordPath: record))
            }
            Pause.milliseconds(25)
        }
        ProcessControl.send(.kill, to: pid)
        _ = ChildProcess.wait(pid)
        // Only the log text for the error; none when it cannot be read.
        return .failure(NexusError("nexus-fake-provider did not start: \((try? FileSystem.readText(out)) ?? "")"))
    }

    /// The body of the last request it received.
    var lastRequestBody: String? {
        // No record file (or a line that is not JSON): no request to count.
        guard let text = try? FileSystem.readText(recordPath),
            let line = text.split(separator: "\n").last,
            let request = try? JSONValue(parsing: String(line))
        else { return nil }
        return request["body"]?.stringValue
    }

    func stop() {
        ProcessControl.send(.kill, to: pid)
        _ = ChildProcess.wait(pid)
    }
}
