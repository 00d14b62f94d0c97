import CNexusJail

#if canImport(Glibc)
    import Glibc
#endif

/// Tier C has no pid namespace and no uid of its own to kill by, so the jailer becomes a child
/// subreaper: orphans of the command (a setsid double fork) are re-parented to it, and it kills
/// every adopted process of this run when it ends. Runs are told apart by the
/// `NEXUS_SANDBOX_RUN` value in each process's environment, so concurrent runs in one process
/// (and its other children) are left alone.
enum Reaper {
    static func becomeSubreaper() { _ = nj_become_subreaper() }

    /// Kills and reaps this run's adopted processes until none are left (grandchildren
    /// re-parent to us in turn).
    static func killAdopted(runID: String) {
        let me = getpid()
        let marker = "NEXUS_SANDBOX_RUN=" + runID
        for _ in 0..<50 {
            let kids = children(of: me).filter { pid in
                guard let env = readText("/proc/\(pid)/environ", limit: 1 << 18) else { return false }
                return env.split(separator: "\0").contains { $0 == marker }
            }
            if kids.isEmpty { return }
            for k in kids {
                kill(k, SIGKILL)
                var st: Int32 = 0
                _ = waitpid(k, &st, 0)
            }
        }
    }

    static func children(of parent: pid_t) -> [pid_t] {
        guard let text = readText("/proc/\(parent)/task/\(parent)/children") else { return [] }
        var out = text.split(separator: " ").compactMap { pid_t($0.trimmingSpaces) }
        // Threads other than the main one may have adopted too.
        if let dir = opendir("/proc/\(parent)/task") {
            defer { closedir(dir) }
            while let e = readdir(dir) {
                let name = withUnsafeBytes(of: e.pointee.d_name) {
                    String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                }
                guard let tid = Int32(name), tid != parent,
                    let t = readText("/proc/\(parent)/task/\(tid)/children")
                else { continue }
                out += t.split(separator: " ").compactMap { pid_t($0.trimmingSpaces) }
            }
        }
        return out
    }
}
