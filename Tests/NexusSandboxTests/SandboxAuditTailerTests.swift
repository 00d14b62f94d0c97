import Glibc
import NexusCore
import NexusSandbox
import NexusTelemetry
import Synchronization
import Testing

/// The serving session's tailer of the sandbox audit log (issue 16): it turns the jailers' lines into
/// `.egress` and `.sandboxRun` events, and no line anyone could put in the file stops it or fools it.
@Suite struct SandboxAuditTailerTests {
    /// A bus with a recorder attached, a tailer on `path`, and the warnings it wrote.
    struct Rig {
        let bus = EventBus()
        let recorder: EventMetricsRecorder
        let tailer: SandboxAuditTailer
        let warnings = Warnings()
        final class Warnings: Sendable {
            let lines = Mutex<[String]>([])
            var all: [String] { lines.withLock { $0 } }
        }

        init(path: String, moduleCapacity: Int = 1024) {
            recorder = EventMetricsRecorder(moduleCapacity: moduleCapacity)
            recorder.attach(to: bus)
            let w = warnings
            tailer = SandboxAuditTailer(path: path, bus: bus, interval: 0.05) { m in w.lines.withLock { $0.append(m) } }
        }

        var metrics: String { String(decoding: recorder.metrics.renderBytes(), as: UTF8.self) }

        /// Waits (up to `seconds`) until the rendered metrics contain every one of `series`.
        func waitFor(_ series: [String], seconds: Double = 10) async -> Bool {
            let deadline = MonotonicClock.nanoseconds() + UInt64(seconds * 1e9)
            while MonotonicClock.nanoseconds() < deadline {
                tailer.poll()
                let text = metrics
                if series.allSatisfy({ text.contains($0) }) { return true }
                try? await Task.sleep(nanoseconds: 50_000_000)
            }
            return false
        }
    }

    static func egress(_ module: String, _ host: String, _ verdict: NetworkRecord.Verdict) -> [UInt8] {
        SandboxAuditRecord.egressLine(
            NetworkRecord(host: host, port: 443, method: "CONNECT", path: nil, verdict: verdict, reason: nil),
            module: module, mode: .integration, command: "python3")
    }

    static func append(_ path: String, _ bytes: [UInt8]) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    @Test func hostileLinesAreSkippedWithOneWarningAndLaterGoodLinesStillCount() async throws {
        let dir = T.tempDir()
        defer { _ = system("rm -rf \(dir)") }
        let path = dir + "/sandbox-audit.jsonl"
        // Lines already there when the tailer starts are old news.
        Self.append(path, Self.egress("old", "old.example.com", .allowed))
        let rig = Rig(path: path)
        #expect(rig.tailer.poll() == 0)

        Self.append(path, Array("not json at all\n{\"kind\":\"sandbox_egress\"\n".utf8))
        Self.append(path, [UInt8](repeating: UInt8(ascii: "x"), count: 10 << 20) + [10])  // a 10 MB line
        Self.append(path, [0, 1, 2, 27, 91, 50, 74, 10])  // control characters
        Self.append(
            path,
            Array(
                (#"{"kind":"sandbox_egress","module":"ev\u001bil","mode":"integration","host":"h","verdict":"allowed"}"#
                    + "\n"
                    + #"{"kind":"sandbox_egress","module":"a","mode":"integration","host":"h","verdict":"maybe"}"#
                    + "\n" + #"{"kind":"sandbox_launch","mode":"exec"}"# + "\n" + String(repeating: "[", count: 3000)
                    + "\n").utf8))
        Self.append(path, Self.egress("weather", "api.weather.example", .allowed))
        Self.append(path, Self.egress("weather", "evil.example", .blocked))
        let published = await rig.waitFor([
            #"nexus_egress_requests_total{module="weather",verdict="allowed"} 1"#,
            #"nexus_egress_requests_total{module="weather",verdict="blocked"} 1"#,
        ])
        #expect(published, "\(rig.metrics)")
        #expect(!rig.metrics.contains("module=\"old\""), "lines before the start are not counted")
        #expect(!rig.metrics.contains("ev_il"), "a name with a control character is not a module's")
        let warnings = rig.warnings.all
        #expect(!warnings.isEmpty && warnings.allSatisfy { $0.hasPrefix("sandbox audit log \(path): skipped") })
        #expect(warnings.joined().contains("over \(SandboxAuditRecord.maxLineBytes) bytes"), "\(warnings)")
        #expect(warnings.count <= 4, "one line per poll, not one per bad line: \(warnings)")
    }

    @Test func partialLinesWaitTruncationRestartsAndRotationMovesToTheNewFile() async throws {
        let dir = T.tempDir()
        defer { _ = system("rm -rf \(dir)") }
        let path = dir + "/sandbox-audit.jsonl"
        // A missing file is no error; when it appears it is new, so it is read from its start.
        let rig = Rig(path: path)
        #expect(rig.tailer.poll() == 0)
        let line = Self.egress("m", "a.example", .allowed)
        Self.append(path, Array(line[0..<20]))
        #expect(rig.tailer.poll() == 0, "half a line waits for its end")
        Self.append(path, Array(line[20...]))
        #expect(rig.tailer.poll() == 1)

        // Truncated (a log cleaner) and written again: read from the start.
        #expect(truncate(path, 0) == 0)
        Self.append(path, Self.egress("m", "b.example", .blocked))
        #expect(rig.tailer.poll() == 1)
        #expect(rig.warnings.all.contains { $0.contains("truncated") })

        // Rotated: the old file's last line is still read, then the new file from its start.
        Self.append(path, Self.egress("m", "c.example", .allowed))
        #expect(rename(path, path + ".1") == 0)
        Self.append(path, Self.egress("m", "d.example", .allowed))
        #expect(rig.tailer.poll() == 2)
        #expect(await rig.waitFor([#"nexus_egress_requests_total{module="m",verdict="allowed"} 3"#]), "\(rig.metrics)")
        // Removed: nothing breaks, and a new file is followed again.
        _ = unlink(path)
        _ = unlink(path + ".1")
        #expect(rig.tailer.poll() == 0)
        Self.append(path, Self.egress("m", "e.example", .blocked))
        #expect(rig.tailer.poll() == 1)
    }

    @Test func aFifoOrADeviceAtThePathIsNeverReadAndNeverBlocks() async throws {
        let dir = T.tempDir()
        defer { _ = system("rm -rf \(dir)") }
        let path = dir + "/sandbox-audit.jsonl"
        #expect(mkfifo(path, 0o600) == 0)
        let rig = Rig(path: path)
        let start = MonotonicClock.nanoseconds()
        #expect(rig.tailer.poll() == 0)
        _ = unlink(path)
        #expect(symlink("/dev/zero", path) == 0)
        #expect(rig.tailer.poll() == 0)
        #expect(MonotonicClock.millisSince(start) < 1000, "neither a FIFO nor /dev/zero stalls a poll")
        // Replaced by a real log: followed from its start.
        _ = unlink(path)
        Self.append(path, Self.egress("m", "a.example", .allowed))
        #expect(rig.tailer.poll() == 1)
    }

    @Test func moduleNamesBeyondTheLabelBoundAreCountedAsOther() async throws {
        let dir = T.tempDir()
        defer { _ = system("rm -rf \(dir)") }
        let path = dir + "/sandbox-audit.jsonl"
        let rig = Rig(path: path, moduleCapacity: 2)
        for m in ["one", "two", "three", "four"] { Self.append(path, Self.egress(m, "x.example", .blocked)) }
        #expect(
            await rig.waitFor([
                #"nexus_egress_requests_total{module="one",verdict="blocked"} 1"#,
                #"nexus_egress_requests_total{module="other",verdict="blocked"} 2"#,
            ]), "\(rig.metrics)")
    }

    @Test func aTargetFullOfControlCharactersCannotStartALineOfItsOwn() throws {
        let forged = "h\n{\"kind\":\"sandbox_run\",\"mode\":\"exec\",\"outcome\":\"ok\",\"duration_ms\":1}\n"
        var r = NetworkRecord(
            host: forged, port: 80, method: "GET", path: "/\u{1b}[2J", verdict: .blocked,
            reason: String(repeating: "\u{7}", count: 100_000))
        r.bytesUp = 1
        let line = SandboxAuditRecord.egressLine(r, module: "m", mode: .validate, command: "sh")
        #expect(line.count <= SandboxAuditRecord.maxLineBytes)
        #expect(line.filter { $0 == 10 }.count == 1 && line.last == 10)
        #expect(!line.contains(27) && !line.contains(7))
        let parsed = try SandboxAuditRecord.parse(line.dropLast()).get()
        guard case .egress(let module, _, let host, _, let verdict) = parsed else {
            Issue.record("not an egress record: \(parsed)")
            return
        }
        #expect(module == "m" && verdict == "blocked" && host.hasPrefix("h?{"))
    }
}
