import NexusCore
import NexusModules
import NexusPOSIX

/// The challenge farm's folder and its scenarios (issue 15): where `nexus farm`, the contract check and
/// `nexus bench openapi` find them, and what each scenario's server says of itself.
public enum FarmScenarios {
    /// `NEXUS_FARM`, else the `farm/` folder beside the built-in modules (a checkout), when it holds `farmlib.py`.
    public static func locate(_ env: [String: String]) -> String? {
        if let f = env["NEXUS_FARM"], !f.isEmpty { return f }
        guard let builtins = BuiltinModules.locate(environment: env), let slash = builtins.lastIndex(of: "/") else {
            return nil
        }
        let dir = String(builtins[..<slash]) + "/farm"
        return FileSystem.kind(of: dir + "/farmlib.py") == .file ? dir : nil
    }

    /// The scenario names in `dir`.
    public static func scenarios(_ dir: String) -> [String] { FarmServer.scenarios(in: dir) }

    /// The first docstring line and the default port of a scenario's server.
    public static func describe(_ dir: String, _ name: String) -> (summary: String, port: String) {
        // A description only: a scenario without a readable server.py shows none.
        let text = (try? FileSystem.readText(dir + "/" + name + "/server.py", limit: 1 << 20)) ?? ""
        // The whole docstring, its lines joined: its first line alone stopped mid-sentence.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var doc: [String] = []
        if let start = lines.firstIndex(where: { $0.hasPrefix("\"\"\"") }) {
            for (i, line) in lines[start...].prefix(20).enumerated() {
                var l = i == 0 ? String(line.dropFirst(3)) : String(line)
                let closes = l.hasSuffix("\"\"\"")
                if closes { l = String(l.dropLast(3)) }
                doc.append(l.trimmingSpaces)
                if closes { break }
            }
        }
        let joined = doc.filter { !$0.isEmpty }.joined(separator: " ")
        let summary = joined.split(separator: ":", maxSplits: 1).last.map { $0.trimmingSpaces } ?? joined
        let last = text.split(separator: "\n").last { $0.hasPrefix("run(") } ?? ""
        let port = last.split(separator: ",").last.map { String($0.filter(\.isNumber)) } ?? "?"
        return (summary, port)
    }

    /// The credentials a scenario's server accepts, from its acceptance.json (`api_key_auth` → `farm-key-1`),
    /// so the person serving it knows what to give the build. Empty when it wants none or the file is unreadable.
    public static func credentials(_ dir: String, _ name: String) -> [(name: String, value: String)] {
        // A description only: an unreadable acceptance.json shows no credentials (the bench reports it).
        guard let text = try? FileSystem.readText(dir + "/" + name + "/acceptance.json", limit: 1 << 20),
            let acceptance = try? JSONValue(parsing: text)
        else { return [] }
        return (acceptance["credentials"]?.objectValue?.pairs ?? []).compactMap { pair in
            pair.1.stringValue.map { (pair.0, $0) }
        }
    }
}
