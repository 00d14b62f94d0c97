import NexusCore
import NexusPOSIX
import Synchronization

/// Runs a module's `test_file` (for now a plain subprocess: `python3 <test_file>` in the module folder,
/// the same minimal environment as the module, no credentials) and reports its exit and output.
///
/// The folder is checked against its approved sha256 first: test code that changed since the approval
/// is never run (it is code like any other), and the refusal says how to approve the new files.
public enum ModuleTestRunner {
    public struct Outcome: Sendable, Equatable {
        public var passed: Bool
        public var status: String
        public var output: String
    }

    public static func run(
        module: String, folder: String, approvedSHA256: String, modulesDirectory: String, manifest: ModuleManifest,
        launcher: any ModuleLauncher = DirectLauncher(), timeoutSeconds: Double = 120
    ) throws -> Outcome {
        try ModulePin.verify(
            module: module, folder: folder, approved: approvedSHA256, modulesDirectory: modulesDirectory)
        guard let test = manifest.testFile else {
            return Outcome(passed: false, status: "no test_file in manifest.json", output: "")
        }
        if let problem = ModuleFiles.containedFileProblem(test, in: folder) {
            return Outcome(passed: false, status: "test_file: \(problem)", output: "")
        }
        let command = test.hasSuffix(".py") ? ["python3", test] : ["./" + test]
        let process = try launcher.launch(
            LaunchSpec(module: module, command: command, workingDirectory: folder, environment: [:], networkAllow: []))
        process.closeStdin()
        let stderrBox = OutputBox()
        let errFD = process.stderr
        let done = DetachedThread.start(stackSize: 256 << 10) { stderrBox.set(readAll(errFD)) }
        let deadline = MonotonicClock.deadline(after: timeoutSeconds)
        let killer = DetachedThread.start(stackSize: 256 << 10) {
            while process.exitStatus == nil {
                if MonotonicClock.nanoseconds() > deadline {
                    process.signal(.kill)
                    return
                }
                Pause.milliseconds(20)
            }
        }
        _ = killer
        let out = readAll(process.stdout)
        process.reap()
        if done {
            while !stderrBox.isSet { Pause.milliseconds(1) }
        }
        let status = process.exitDescription ?? "unknown"
        let text = String(decoding: out + stderrBox.value, as: UTF8.self)
        return Outcome(passed: status == "exit status 0", status: status, output: text)
    }

    static func readAll(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = Descriptor.read(fd, into: &buf)
            if n <= 0 { break }
            if out.count < 1 << 20 { out.append(contentsOf: buf[0..<n]) }
        }
        return out
    }
}

/// Bytes handed from a reader thread to the caller.
final class OutputBox: Sendable {
    private let state = Mutex<([UInt8], Bool)>(([], false))
    func set(_ v: [UInt8]) { state.withLock { $0 = (v, true) } }
    var value: [UInt8] { state.withLock { $0.0 } }
    var isSet: Bool { state.withLock { $0.1 } }
}
