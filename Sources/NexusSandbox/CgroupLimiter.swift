import NexusCore
import NexusPOSIX

#if canImport(Glibc)
    import Glibc
#endif

/// A cgroup per sandbox run, where the machine lets us make one: memory and process limits the
/// kernel enforces for the whole tree, peak memory, and a way to tell an OOM kill from other deaths.
///
/// cgroup v2 when our group has the memory controller delegated; else writable v1 memory and pids
/// hierarchies (root in a VM). Everything here is best effort: rlimits hold the line without it.
public final class CgroupLimiter: Sendable {
    /// Directories created for this run, and the `cgroup.procs` files to join.
    public let directories: [String]
    let version: Int

    public var procsFiles: [String] { directories.map { $0 + "/cgroup.procs" } }

    /// Creates `nexus-sandbox-<id>` groups with the given limits; nil when no cgroup is usable.
    /// `allowV1Memory`: joining a v1 memory group costs ~10 ms (charge migration), too much for
    /// exec mode's start-up budget, where the address-space rlimit bounds memory instead.
    /// `accountCPU`: also track the whole tree's CPU time (v1 cpuacct; v2 has cpu.stat anyway), for
    /// `--cpu-seconds` across every process of the run rather than RLIMIT_CPU's one process.
    public static func create(
        id: String, memoryBytes: Int, maxProcesses: Int, allowV1Memory: Bool = true, accountCPU: Bool = false
    ) -> CgroupLimiter? {
        let name = "nexus-sandbox-\(id)"
        if let v2 = v2Directory() {
            let dir = v2 + "/" + name
            guard mkdir(dir, 0o755) == 0 else { return nil }
            if memoryBytes > 0 {
                _ = writeText(dir + "/memory.max", "\(memoryBytes)")
                _ = writeText(dir + "/memory.swap.max", "0")
            }
            if maxProcesses > 0 { _ = writeText(dir + "/pids.max", "\(maxProcesses)") }
            return CgroupLimiter(directories: [dir], version: 2)
        }
        var dirs: [String] = []
        if memoryBytes > 0, allowV1Memory, let mem = v1Directory(controller: "memory") {
            let dir = mem + "/" + name
            if mkdir(dir, 0o755) == 0 {
                _ = writeText(dir + "/memory.limit_in_bytes", "\(memoryBytes)")
                dirs.append(dir)
            }
        }
        if maxProcesses > 0, let pids = v1Directory(controller: "pids") {
            let dir = pids + "/" + name
            if mkdir(dir, 0o755) == 0 {
                _ = writeText(dir + "/pids.max", "\(maxProcesses)")
                dirs.append(dir)
            }
        }
        if accountCPU, let cpu = v1Directory(controller: "cpuacct") {
            let dir = cpu + "/" + name
            if mkdir(dir, 0o755) == 0 { dirs.append(dir) }
        }
        return dirs.isEmpty ? nil : CgroupLimiter(directories: dirs, version: 1)
    }

    init(directories: [String], version: Int) {
        self.directories = directories
        self.version = version
    }

    /// Peak memory of the whole sandbox in bytes, when the kernel tracks it.
    public var peakMemoryBytes: Int? {
        for dir in directories {
            if let v = readText(dir + (version == 2 ? "/memory.peak" : "/memory.max_usage_in_bytes")),
                let n = Int(v.trimmingSpaces), n > 0
            {
                return n
            }
        }
        return nil
    }

    /// Whether the memory limit was reached (an allocation failed or the OOM killer ran).
    public var memoryLimitHit: Bool {
        for dir in directories {
            if version == 2, let events = readText(dir + "/memory.events") {
                for line in events.split(separator: "\n") where line.hasPrefix("oom_kill ") || line.hasPrefix("max ") {
                    if let n = Int(line.split(separator: " ").last ?? ""), n > 0 { return true }
                }
            } else if let f = readText(dir + "/memory.failcnt"), let n = Int(f.trimmingSpaces), n > 0 {
                return true
            }
        }
        return false
    }

    /// CPU time (user + system) of everything in the group so far, in seconds; nil when untracked.
    public var cpuSecondsUsed: Double? {
        for dir in directories {
            if version == 2, let stat = readText(dir + "/cpu.stat") {
                for line in stat.split(separator: "\n") where line.hasPrefix("usage_usec ") {
                    if let us = Double(line.split(separator: " ").last ?? "") { return us / 1e6 }
                }
            } else if let ns = readText(dir + "/cpuacct.usage").flatMap({ Double($0.trimmingSpaces) }) {
                return ns / 1e9
            }
        }
        return nil
    }

    /// Whether fork was refused by pids.max.
    public var processLimitHit: Bool {
        for dir in directories {
            if let e = readText(dir + "/pids.events"), let n = Int(e.split(separator: " ").last?.trimmingSpaces ?? ""),
                n > 0
            {
                return true
            }
        }
        return false
    }

    /// Kills everything in the group (v2 `cgroup.kill`).
    public func killAll() {
        if version == 2 { for dir in directories { _ = writeText(dir + "/cgroup.kill", "1") } }
    }

    /// Removes the groups (retrying briefly while the last processes are reaped).
    public func destroy() {
        for dir in directories {
            for _ in 0..<50 {
                if rmdir(dir) == 0 || errno == ENOENT { break }
                usleep(2000)
            }
        }
    }

    // MARK: discovery

    /// Our own cgroup v2 directory when it can host a child with the memory controller.
    public static func v2Directory() -> String? {
        guard let mount = mountPoint(fsType: "cgroup2", option: nil),
            let rel = ownPath(hierarchy: { $0.hasPrefix("0::") })
        else { return nil }
        let dir = rel == "/" ? mount : mount + rel
        guard let controllers = readText(dir + "/cgroup.subtree_control"),
            controllers.split(separator: " ").contains(where: { $0.trimmingSpaces == "memory" }),
            access(dir, W_OK) == 0
        else { return nil }
        return dir
    }

    /// Our own cgroup v1 directory for a controller, when writable.
    public static func v1Directory(controller: String) -> String? {
        guard let mount = mountPoint(fsType: "cgroup", option: controller),
            let rel = ownPath(hierarchy: { line in
                let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
                return parts.count == 3 && parts[1].split(separator: ",").contains { $0 == controller }
            })
        else { return nil }
        let dir = rel == "/" ? mount : mount + rel
        return access(dir, W_OK) == 0 ? dir : nil
    }

    private static func ownPath(hierarchy: (Substring) -> Bool) -> String? {
        guard let text = readText("/proc/self/cgroup") else { return nil }
        for line in text.split(separator: "\n") where hierarchy(line) {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            if parts.count == 3 { return String(parts[2]) }
        }
        return nil
    }

    private static func mountPoint(fsType: String, option: String?) -> String? {
        guard let text = readText("/proc/self/mounts") else { return nil }
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ")
            guard f.count >= 4, f[2] == fsType else { continue }
            if let option, !f[3].split(separator: ",").contains(where: { $0 == option }) { continue }
            return String(f[1])
        }
        return nil
    }
}

/// Small file helpers on Glibc (no Foundation).
func readText(_ path: String, limit: Int = 1 << 20) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while bytes.count < limit {
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, 65536) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        bytes.append(contentsOf: buf[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}

@discardableResult
func writeText(_ path: String, _ text: String, create: Bool = false, append: Bool = false) -> Bool {
    var flags = O_WRONLY | O_CLOEXEC
    if create { flags |= O_CREAT | (append ? O_APPEND : O_TRUNC) }
    let fd = open(path, flags, 0o600)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    return Descriptor.writeAll(fd, Array(text.utf8))
}
