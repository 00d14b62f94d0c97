import CNexusPOSIX
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Children that do not outlive this process. A module started without the sandbox (`NEXUS_SANDBOX=off`)
/// had no jailer watching nexus: killed with SIGKILL (or crashed), nexus closed no pipe on purpose and
/// signalled nobody, and a module that ignores the end of its stdin ran on, unsupervised, for good.
///
/// The child arms the parent-death signal (SIGKILL) between fork and exec and checks, after arming it,
/// that nexus is still its parent (if nexus died first, no signal would ever come: it exits instead).
/// Linux sends that signal when the *thread* that forked ends, not the process, and Swift's pool threads
/// end when idle: every tethered child is forked by one spawner thread that lives as long as the process.
extension ChildProcess {
    /// Like `spawn`, but the child gets SIGKILL when this process ends, however it ends. Streams may be
    /// `.inherit`, `.null`, `.descriptor`, `.appending` or (stderr, after a stdout that is not inherited)
    /// `.sameAsStdout`; `searchPath` looks the program up on this process's PATH; `passing` and `closeOthers` are
    /// not offered here.
    public static func spawnTethered(
        _ argv: [String], executable: String? = nil, _ options: SpawnOptions = SpawnOptions()
    ) throws(SpawnError) -> pid_t {
        guard var program = executable ?? argv.first, !program.isEmpty else {
            throw SpawnError(program: "(empty command)", reason: "no program given")
        }
        guard options.grouping != .newSession, options.passing.isEmpty, !options.closeOthers else {
            throw SpawnError(program: program, reason: "a tethered child takes only streams, a directory and a group")
        }
        if options.searchPath, !program.contains("/") {
            // As posix_spawnp looks: this process's PATH, else the default one.
            let path = Environment.get("PATH") ?? "/usr/local/bin:/usr/bin:/bin"
            let dirs = path.split(separator: ":", omittingEmptySubsequences: false).map {
                $0.isEmpty ? "." : String($0)
            }
            guard let found = dirs.map({ $0 + "/" + program }).first(where: FileSystem.isExecutable) else {
                throw SpawnError(program: program, reason: "not found on PATH")
            }
            program = found
        }
        var opened: [Int32] = []
        defer { for fd in opened { Descriptor.close(fd) } }
        var fds: [Int32] = []
        for (n, stream) in [(Int32(0), options.stdin), (1, options.stdout), (2, options.stderr)] {
            switch stream {
            case .inherit: fds.append(-1)
            case .descriptor(let fd): fds.append(fd)
            case .null:
                let fd = open("/dev/null", (n == 0 ? O_RDONLY : O_WRONLY) | O_CLOEXEC)
                guard fd >= 0 else {
                    throw SpawnError(program: program, reason: "/dev/null: \(SystemError.currentText)")
                }
                opened.append(fd)
                fds.append(fd)
            case .appending(let path):
                let fd = Descriptor.openForAppend(path)
                guard fd >= 0 else { throw SpawnError(program: program, reason: "\(path): \(SystemError.currentText)") }
                opened.append(fd)
                fds.append(fd)
            case .sameAsStdout where n == 2 && fds[1] >= 0:
                fds.append(fds[1])
            default:
                throw SpawnError(
                    program: program,
                    reason: "a tethered child's streams are descriptors, /dev/null, appended files or stderr to stdout")
            }
        }
        let (stdin, stdout, stderr) = (fds[0], fds[1], fds[2])
        let environment = options.environment ?? Environment.all
        let resolved = program
        let result = TetheredSpawner.run { () -> (pid_t, Int32) in
            let pid = CStringArray(argv).withPointer { args in
                CStringArray(environment: environment).withPointer { envp in
                    nx_spawn_tethered(
                        resolved, args, envp, stdin, stdout, stderr, options.directory,
                        options.grouping == .newProcessGroup ? 1 : 0, options.resetSignals ? 1 : 0)
                }
            }
            return (pid, pid < 0 ? errno : 0)
        }
        guard result.0 > 0 else { throw SpawnError(program: program, reason: String(cString: strerror(result.1))) }
        return result.0
    }

    /// The parent-death signal armed in this process: what a tethered child sees (0 when none).
    public static var parentDeathSignal: Int32 { nx_parent_death_signal() }
}

/// The one thread that forks tethered children (see `spawnTethered`): started on first use, never ended.
/// A caller hands it a job and blocks on a pipe of its own until the job has run.
enum TetheredSpawner {
    /// A job and where its result goes.
    final class Job: Sendable {
        let body: @Sendable () -> (pid_t, Int32)
        let result = Mutex<(pid_t, Int32)?>(nil)
        let done: [Int32]
        init(_ body: @escaping @Sendable () -> (pid_t, Int32), done: [Int32]) {
            self.body = body
            self.done = done
        }
    }

    static let queue = Mutex<[Job]>([])
    /// The spawner's wake-up pipe, nil when it could not be started (jobs then run on the caller's thread).
    static let wake: [Int32]? = {
        guard let fds = GNULibC.cloexecPipe() else { return nil }
        let started = DetachedThread.start(name: "nexus-spawner") {
            var byte: [UInt8] = [0]
            while Descriptor.read(fds[0], into: &byte) > 0 {
                while let job = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                    job.result.withLock { $0 = job.body() }
                    _ = Descriptor.writeAll(job.done[1], [1])
                }
            }
        }
        if !started {
            Descriptor.close(fds[0])
            Descriptor.close(fds[1])
            return nil
        }
        return fds
    }()

    /// Runs `body` on the spawner thread and returns its result.
    static func run(_ body: @escaping @Sendable () -> (pid_t, Int32)) -> (pid_t, Int32) {
        guard let wake, let done = GNULibC.cloexecPipe() else { return body() }
        defer {
            Descriptor.close(done[0])
            Descriptor.close(done[1])
        }
        let job = Job(body, done: done)
        queue.withLock { $0.append(job) }
        if !Descriptor.writeAll(wake[1], [1]) {
            // The spawner cannot be woken: run it here, unless the spawner took it meanwhile.
            let taken = queue.withLock { q -> Bool in
                guard let i = q.firstIndex(where: { $0 === job }) else { return true }
                q.remove(at: i)
                return false
            }
            if !taken { return body() }
        }
        var byte: [UInt8] = [0]
        _ = Descriptor.read(done[0], into: &byte)
        return job.result.withLock { $0 } ?? (-1, EIO)
    }
}
