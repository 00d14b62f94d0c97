import NexusCore
import NexusModules
import NexusPOSIX
import NexusStore

/// The real published specs of issue 15 (testdata/openapi-real, listed with their base URLs in its SOURCES.md),
/// each built by the command a user types: `nexus build --openapi FILE --base-url URL --no-model --approve no`
/// into a temporary home. A spec counts when the gate passed (the build then stops at the approval, exit 3).
/// Rows: how many passed, and the build time (read, generate, gate, proof) per spec.
enum OpenAPIRealSpecBenchmark {
    struct Spec {
        var file: String
        var baseURL: String
    }

    /// `| file | … | base URL |` rows of SOURCES.md.
    static func specs(_ folder: String) -> [Spec] {
        guard let text = try? FileSystem.readText(folder + "/SOURCES.md", limit: 1 << 20) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|").map { String($0).trimmingSpaces }
            guard line.hasPrefix("| "), cells.count >= 9, cells[0].hasSuffix(".yaml") || cells[0].hasSuffix(".json"),
                let base = cells.last, base.hasPrefix("http")
            else { return nil }
            return Spec(file: cells[0], baseURL: base)
        }
    }

    static func run(executable: String, farm: String, environment: [String: String]) -> [BenchRow] {
        let folder = farm.droppingLastPathComponent + "/testdata/openapi-real"
        let list = specs(folder)
        guard !list.isEmpty else {
            return [.couldNotRun("openapi real specs", reason: "\(folder)/SOURCES.md lists no spec")]
        }
        var passed: [String] = []
        var failed: [String] = []
        var times: [Double] = []
        for spec in list {
            let home = (environment["TMPDIR"] ?? "/tmp") + "/nexus-bench-openapi-real-\(ProcessControl.currentID)"
            ModuleFiles.removeTree(home)
            defer { ModuleFiles.removeTree(home) }
            var env = environment
            env["NEXUS_HOME"] = home
            env["NO_COLOR"] = "1"
            let started = MonotonicClock.nanoseconds()
            let r = Subprocess.run(
                [
                    executable, "build", "--openapi", folder + "/" + spec.file, "--base-url", spec.baseURL,
                    "--no-model", "--approve", "no",
                ], environment: env, timeout: 300)
            let ms = MonotonicClock.millisSince(started)
            let shown = r.stdout + r.stderr
            let generated =
                shown.split(separator: "\n").first { $0.contains("operations generated") }
                .map { $0.split(separator: "(").first.map { $0.trimmingSpaces } ?? "" } ?? ""
            if r.status == 3 && shown.contains("passed the gate") {
                passed.append("\(spec.file) \(generated.replacing("openapi: ", with: "")) \(Int(ms)) ms")
                times.append(ms)
            } else {
                failed.append("\(spec.file): exit \(r.status) \(shown.split(separator: "\n").suffix(2).joined())")
            }
        }
        times.sort()
        var rows = [
            BenchRow(
                name: "real published specs that build and pass the gate (\(passed.count)/\(list.count))",
                p50: Double(passed.count), p99: Double(list.count), unit: "specs", target: "all",
                passed: failed.isEmpty, note: failed.joined(separator: " | "))
        ]
        if !times.isEmpty {
            rows.append(
                BenchRow(
                    name: "build --openapi of a real spec, gate included", p50: times[times.count / 2],
                    p99: times[times.count - 1], unit: "ms", target: "", passed: nil,
                    note: passed.joined(separator: "; ")))
        }
        return rows
    }
}

extension String {
    fileprivate var droppingLastPathComponent: String {
        guard let slash = lastIndex(of: "/") else { return "." }
        return String(self[..<slash])
    }
}
