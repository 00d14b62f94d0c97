import NexusCore
import Synchronization

/// One started module process as the host uses it: the client, the manifest it was started from, and
/// how many calls are running on it (a reload waits for them before ending the old process).
final class ModuleConnection: Sendable {
    let id: Int
    let client: MCPClient
    let manifest: ModuleManifest
    let tools: [MCPTool]
    let inflight = Atomic<Int>(0)
    /// Set when nexus ends the process on purpose (idle, disable, reload), so its exit is not a crash.
    let retiring = Atomic<Bool>(false)
    /// A `tools/list` after a change notice is running (see `ModuleHost.relist`).
    let relisting = Atomic<Bool>(false)

    init(id: Int, client: MCPClient, manifest: ModuleManifest, tools: [MCPTool]) {
        self.id = id
        self.client = client
        self.manifest = manifest
        self.tools = tools
    }

    /// Ends the process once no call is running on it (at most `maxWait` seconds).
    func retire(maxWait: Double) async {
        retiring.store(true, ordering: .relaxed)
        let deadline = MonotonicClock.deadline(after: maxWait)
        while inflight.load(ordering: .relaxed) > 0 && MonotonicClock.nanoseconds() < deadline {
            // Task.sleep throws only on cancellation, which the caller checks next.
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        await client.closeAndWait()
    }
}

/// The host's per-module state between calls: connection, breaker, rate limiter, crash back-off, idle
/// timer and session approvals. Lives only inside the `ModuleHost` actor.
final class ModuleRuntime {
    let name: String
    var connection: ModuleConnection?
    var starting: Task<ModuleConnection, any Error>?
    var breaker: CircuitBreaker
    var limiter: RateLimiter?
    var crashes = 0
    var restartAt: Double = 0
    var lastCrash: String?
    var idleTask: Task<Void, Never>?
    var idleToken = 0
    var alwaysApproved = ApprovalMemory()
    /// The memory limit (MB) its process last ran under, to name it when the process dies of it.
    var memoryMB: Int?

    init(name: String, policy: CircuitBreaker.Policy) {
        self.name = name
        self.breaker = CircuitBreaker(policy: policy)
    }
}
