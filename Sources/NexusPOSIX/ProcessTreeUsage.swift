#if canImport(Glibc)
    import Glibc
#endif

/// Resident memory and CPU time of a process and everything below it, read from /proc (Linux).
///
/// Why here: it is the one place that reads another process's kernel bookkeeping. A module runs as a tree
/// (the jailer, then the interpreter, then whatever it starts), so the tree is what counts: one
/// /proc scan maps every pid to its parent, and the tree below a root sums resident pages and the CPU
/// time its live members used, plus what their exited and reaped children used (cutime/cstime).
public enum ProcessTreeUsage {
    public struct Usage: Sendable, Equatable {
        public var residentBytes: Int
        public var cpuSeconds: Double
        public var processes: Int

        public init(residentBytes: Int, cpuSeconds: Double, processes: Int) {
            self.residentBytes = residentBytes
            self.cpuSeconds = cpuSeconds
            self.processes = processes
        }
    }

    /// One process's line of `/proc/<pid>/stat`, the fields used here.
    public struct Stat: Sendable, Equatable {
        public var pid: Int32
        public var parent: Int32
        /// utime + stime + cutime + cstime, in clock ticks.
        public var ticks: Int
        public var residentPages: Int
    }

    /// Every readable process's stat (a process that exits during the scan is skipped).
    public static func snapshot(procRoot: String = "/proc") -> [Int32: Stat] {
        guard let dir = opendir(procRoot) else { return [:] }
        defer { closedir(dir) }
        var out: [Int32: Stat] = [:]
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = Int32(name), pid > 0 else { continue }
            let fd = open("\(procRoot)/\(name)/stat", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            let bytes = Descriptor.readToEnd(fd)
            close(fd)
            if let s = parse(bytes) { out[s.pid] = s }
        }
        return out
    }

    /// Parses a `/proc/<pid>/stat` line. The command name sits in parentheses and may itself hold spaces and
    /// parentheses, so the fields are counted from the last `)`.
    public static func parse(_ bytes: [UInt8]) -> Stat? {
        guard let open = bytes.firstIndex(of: 0x28), let close = bytes.lastIndex(of: 0x29), open < close,
            let pid = Int32(String(decoding: bytes[..<open], as: UTF8.self).trimmingCharacters(" "))
        else { return nil }
        let rest = bytes[(close + 1)...].split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
        // rest[0] is field 3 (state): ppid 4 → 1, utime 14 → 11, stime → 12, cutime → 13, cstime → 14,
        // rss 24 → 21.
        guard rest.count > 21, let parent = Int32(rest[1]) else { return nil }
        let ticks = [11, 12, 13, 14].reduce(0) { $0 + max(0, Int(rest[$1]) ?? 0) }
        return Stat(pid: pid, parent: parent, ticks: ticks, residentPages: max(0, Int(rest[21]) ?? 0))
    }

    /// The usage of `root` and its descendants in `snapshot`; nil when `root` is not in it (it exited).
    public static func usage(of root: Int32, in snapshot: [Int32: Stat]) -> Usage? {
        guard snapshot[root] != nil else { return nil }
        var children: [Int32: [Int32]] = [:]
        for s in snapshot.values { children[s.parent, default: []].append(s.pid) }
        var stack = [root]
        var seen = Set<Int32>()
        var pages = 0
        var ticks = 0
        while let pid = stack.popLast() {
            guard seen.insert(pid).inserted, let s = snapshot[pid] else { continue }
            pages += s.residentPages
            ticks += s.ticks
            stack += children[pid] ?? []
        }
        let hz = max(1, sysconf(Int32(_SC_CLK_TCK)))
        let page = max(1, sysconf(Int32(_SC_PAGESIZE)))
        return Usage(residentBytes: pages * page, cpuSeconds: Double(ticks) / Double(hz), processes: seen.count)
    }
}

extension String {
    fileprivate func trimmingCharacters(_ c: Character) -> String {
        var s = Substring(self)
        while s.first == c { s.removeFirst() }
        while s.last == c { s.removeLast() }
        return String(s)
    }
}
