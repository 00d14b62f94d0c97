import NexusPOSIX

/// Processes found by their command line, for specs that check that nothing outlives what should end it (a module
/// after the nexus that started it, a sandbox after its jailer): read from /proc, as any user could.
public enum RunningProcesses {
    /// The ids of the processes, this one aside, whose command line (arguments joined by spaces) contains `needle`.
    public static func naming(_ needle: String) -> [Int32] {
        var found: [Int32] = []
        for entry in FileSystem.list("/proc") {
            guard let pid = Int32(entry), pid != ProcessControl.currentID else { continue }
            // A process that ended meanwhile has no command line to read: it is not running.
            guard let bytes = try? FileSystem.read("/proc/\(entry)/cmdline", limit: 1 << 20), !bytes.isEmpty else {
                continue
            }
            if String(decoding: bytes.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(needle) { found.append(pid) }
        }
        return found
    }

    /// Waits up to `seconds` for no process to name `needle`; ends those still there (SIGKILL, so a failed spec
    /// leaves nothing running) and returns how many there were.
    public static func leftAfter(_ seconds: Double, naming needle: String) -> Int {
        var left = naming(needle)
        for _ in 0..<Int(seconds * 10) where !left.isEmpty {
            Pause.milliseconds(100)
            left = naming(needle)
        }
        for pid in left { _ = ProcessControl.send(.kill, to: pid) }
        return left.count
    }
}
