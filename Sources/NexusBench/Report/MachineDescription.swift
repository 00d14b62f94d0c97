import NexusCore
import NexusPOSIX
import NexusStore

#if canImport(Glibc)
    import Glibc
#endif

/// A one-line description of the machine for benchmark tables: the machine is shared, so every table says
/// what ran it and how loaded it was.
public enum MachineDescription {
    public static var current: String {
        let cpu =
            ((try? FileSystem.readText("/proc/cpuinfo")) ?? "").split(separator: "\n")
            .first { $0.hasPrefix("model name") }.map {
                $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingSpaces } ?? ""
            } ?? "unknown CPU"
        let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        let mem = sysconf(Int32(_SC_PHYS_PAGES)) * sysconf(Int32(_SC_PAGESIZE)) / (1 << 30)
        return "\(cpu), \(cores) cores, \(mem) GiB"
    }

    /// The 1-, 5- and 15-minute load averages from /proc/loadavg ("?" when unreadable).
    public static var loadAverage: String {
        let text = (try? FileSystem.readText("/proc/loadavg")) ?? ""
        let parts = text.split(separator: " ").prefix(3)
        return parts.count == 3 ? parts.joined(separator: " ") : "?"
    }
}
