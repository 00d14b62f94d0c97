import NexusPOSIX
import Testing

/// System calls live in NexusPOSIX (DESIGN §3). A file elsewhere that imports Glibc is either on the list
/// below, with the reason it needs the C library itself, or a mistake this test names.
@Suite struct SystemCallsInOnePlaceTests {
    /// Paths (a trailing `/` means everything below) allowed to import Glibc, and why.
    static let allowed: [String: String] = [
        "Sources/NexusPOSIX/": "the wrapper itself",
        "Sources/NexusCore/Events/MonotonicClock.swift":
            "NexusCore is the bottom layer (NexusPOSIX depends on it); clock_gettime is its one C call, not I/O",
        "Sources/NexusLLM/HTTP/CurlLibrary.swift": "dlopen/dlsym: loading libcurl on first use is the shim's own job",
        "Sources/NexusLLM/Streaming/SSEParser.swift":
            "memchr/memcmp in the hot scan; fuzz/run.sh builds the parsers with NexusCore alone",
        "Sources/NexusLLM/Streaming/NDJSONParser.swift": "memchr in the hot scan; built alone by fuzz/run.sh",
        "Sources/NexusModules/ToolPicker/EnglishWordFrequency.swift": "libm's pow and log10 to add up word frequencies",
        "Sources/NexusModules/ToolPicker/ToolIndex.swift": "libm's log for BM25 weights, not a system call",
        "Sources/NexusModules/ToolPicker/AppUsagePrior.swift": "libm's log to saturate usage counts, not a system call",
        "Sources/NexusOrchestrator/Tools/ArithmeticExpression.swift": "libm functions the calculator offers",
        "Sources/NexusREPL/EditLineSource.swift": "termios around libedit's own reads (echo off for secrets)",
        "Sources/NexusTUI/Driver/CursesScreen.swift": "TIOCGWINSZ and frame writes beside ncurses",
        "Sources/NexusTUI/Driver/TerminalGuard.swift":
            "termios and fatal-signal handlers that restore the terminal (async-signal-safe calls only)",
        "Sources/NexusVault/KeyFile.swift": "reads the key straight into guarded memory, never a Swift array",
        "Sources/NexusVault/SecretInput.swift": "termios echo-off and the SIGINT handler that turns echo back on",
        // The sandbox's own mechanism (DESIGN §3: jail and egress are Linux calls by nature).
        "Sources/NexusSandbox/Jailer.swift": "the jail",
        "Sources/NexusSandbox/JailOptions.swift": "the jail",
        "Sources/NexusSandbox/JailClient.swift": "the jail",
        "Sources/NexusSandbox/PathGrants.swift": "the jail",
        "Sources/NexusSandbox/Supervisor.swift": "the jail",
        "Sources/NexusSandbox/Reaper.swift": "the jail",
        "Sources/NexusSandbox/CgroupLimiter.swift": "the jail",
        "Sources/NexusSandbox/LimitDetector.swift": "the jail",
        "Sources/NexusSandbox/EgressProxy.swift": "the egress proxy",
        "Sources/NexusSandbox/EgressPolicy.swift": "the egress proxy",
        "Sources/NexusSandbox/ProxyConnection.swift": "the egress proxy",
        "Sources/NexusSandbox/ClientReader.swift": "the egress proxy",
        "Sources/NexusCore/Network/IPAddress.swift":
            "inet_pton and inet_ntop, shared by proxy and manifests",
        "Sources/NexusSandbox/LoopbackServer.swift": "the egress proxy's test and benchmark peer",
        // Benchmarks: where the figure is a system call's own answer, or the measured code calls the system.
        "Sources/NexusBench/StartupBenchmark.swift": "getrusage(RUSAGE_CHILDREN): the timed children's CPU",
        "Sources/NexusBench/Orchestrator/TurnBenchmark.swift": "CLOCK_PROCESS_CPUTIME_ID: the turn's CPU time",
        "Sources/NexusBench/Modules/ModuleBenchmarks.swift": "getrusage: idle modules' context switches and CPU",
        "Sources/NexusBench/Report/MachineDescription.swift": "sysconf: cores and memory in the table's heading",
        "Sources/NexusBench/Sandbox/SandboxBenchmarks.swift": "reads the egress proxy's socket itself, timed",
        "Sources/NexusTelemetry/ProcessTimer.swift": "benchmarks (nexus bench's process timer)",
    ]

    static var repository: String {
        let file = #filePath
        let parts = file.split(separator: "/", omittingEmptySubsequences: false)
        // …/Tests/NexusPOSIXTests/this file → the repository root.
        return parts.dropLast(3).joined(separator: "/")
    }

    static func isAllowed(_ relative: String) -> Bool {
        allowed.keys.contains { $0.hasSuffix("/") ? relative.hasPrefix($0) : relative == $0 }
    }

    static func swiftFiles(under directory: String, relative: String) -> [String] {
        FileSystem.list(directory).flatMap { name -> [String] in
            let full = directory + "/" + name
            let rel = relative + "/" + name
            switch FileSystem.kind(of: full) {
            case .directory: return swiftFiles(under: full, relative: rel)
            case .file where name.hasSuffix(".swift"): return [rel]
            default: return []
            }
        }
    }

    static func importsGlibc(_ text: String) -> Bool {
        text.split(separator: "\n").contains { line in
            let t = line.drop(while: { $0 == " " })
            return t.hasPrefix("import Glibc") || t.hasPrefix("@preconcurrency import Glibc")
        }
    }

    @Test func everyListedPathStillExists() {
        let root = Self.repository
        let stale = Self.allowed.keys.filter { !FileSystem.exists(root + "/" + $0) }.sorted()
        #expect(stale.isEmpty, "the allowlist names paths that are gone: \(stale.joined(separator: ", "))")
    }

    @Test func onlyTheListedFilesImportGlibc() throws {
        let root = Self.repository
        let files = Self.swiftFiles(under: root + "/Sources", relative: "Sources")
        #expect(files.count > 100, "the scan found the sources")
        var offenders: [String] = []
        for rel in files where !Self.isAllowed(rel) {
            if Self.importsGlibc(try FileSystem.readText(root + "/" + rel)) { offenders.append(rel) }
        }
        #expect(
            offenders.isEmpty,
            """
            these files import Glibc: call NexusPOSIX instead (add what is missing there), or list the file \
            with its reason in SystemCallsInOnePlaceTests.allowed: \(offenders.joined(separator: ", "))
            """)
    }

    @Test func theScanSeesAnImportWhereverItIsWritten() {
        #expect(Self.importsGlibc("#if canImport(Glibc)\n    import Glibc\n#endif\n"))
        #expect(Self.importsGlibc("@preconcurrency import Glibc\n"))
        #expect(!Self.importsGlibc("import NexusPOSIX\n// import Glibc is not needed here\n"))
        #expect(!Self.isAllowed("Sources/NexusModules/Host/ModuleHost.swift"))
        #expect(Self.isAllowed("Sources/NexusPOSIX/Descriptor.swift"))
        #expect(!Self.isAllowed("Sources/NexusTesting/FakeProvider/FakeSocket.swift"))
        #expect(!Self.isAllowed("Sources/NexusModules/Install/ModuleFiles+Copy.swift"))
    }
}
