import NexusCore
import NexusPOSIX
import Synchronization

extension ModuleHost {
    /// The pid of each module whose process is running now (the jailer's, when it runs in the sandbox:
    /// the module is below it).
    public func runningProcessIDs() -> [String: Int32] {
        var out: [String: Int32] = [:]
        for (name, rt) in runtimes {
            if let conn = rt.connection { out[name] = conn.client.process.pid }
        }
        return out
    }
}

/// Reads each running module's process tree from /proc every few seconds and publishes its resident
/// memory and CPU time as `.moduleResources` (the TUI's health matrix and the metrics read them).
///
/// It exists apart from the host so the host's actor never blocks on a /proc scan: the sampler asks for
/// the pids, scans on its own task, and keeps the latest reading per module for `latest`. With no module
/// running it reads nothing.
public final class ModuleResourceSampler: Sendable {
    let task: Mutex<Task<Void, Never>?> = Mutex(nil)
    let readings = Mutex<[String: ProcessTreeUsage.Usage]>([:])
    let host: ModuleHost
    let bus: EventBus
    public let intervalSeconds: Double

    public init(host: ModuleHost, bus: EventBus, intervalSeconds: Double = 5) {
        self.host = host
        self.bus = bus
        self.intervalSeconds = intervalSeconds
    }

    /// Starts sampling (once).
    public func start() {
        task.withLock { t in
            guard t == nil else { return }
            t = Task { [self] in
                while !Task.isCancelled {
                    await self.sampleOnce()
                    try? await Task.sleep(for: .seconds(intervalSeconds))
                }
            }
        }
    }

    public func stop() {
        task.withLock { t in
            t?.cancel()
            t = nil
        }
    }

    /// One reading of every running module, published; returns what it read.
    @discardableResult
    public func sampleOnce() async -> [String: ProcessTreeUsage.Usage] {
        let pids = await host.runningProcessIDs()
        guard !pids.isEmpty else {
            readings.withLock { $0 = [:] }
            return [:]
        }
        let snapshot = ProcessTreeUsage.snapshot()
        var out: [String: ProcessTreeUsage.Usage] = [:]
        for (module, pid) in pids.sorted(by: { $0.key < $1.key }) {
            guard let u = ProcessTreeUsage.usage(of: pid, in: snapshot) else { continue }
            out[module] = u
            bus.publish(
                turn: 0, .moduleResources(module: module, residentBytes: u.residentBytes, cpuSeconds: u.cpuSeconds))
        }
        readings.withLock { $0 = out }
        return out
    }

    /// The latest reading of `module`, if it was running then.
    public func latest(_ module: String) -> ProcessTreeUsage.Usage? { readings.withLock { $0[module] } }
}
