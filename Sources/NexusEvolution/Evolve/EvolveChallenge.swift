import NexusCore
import NexusPOSIX

/// One co-evolution challenge: a farm scenario at a difficulty level, phrased as the build request a person
/// would type, with the scenario's OpenAPI document as the docs and its acceptance checks as the judge (the
/// gate's contract check runs them as MCP tool calls in the sandbox).
///
/// The levels take hints away: 1 (guided) says what the API does to a client (the pressure: 429s, pages,
/// drift...), which tools, their arguments and the results the judge expects; 2 (plain) names the tools and
/// their arguments only; 3 (terse) names the tools alone. Two pressures combined would be a level 4, but no
/// farm server serves two at once yet: that level is planned, not offered.
public struct EvolveChallenge: Sendable, Equatable {
    public var scenario: String
    public var level: Int
    /// Why the curriculum chose it (`never tried`, `failed last time`, `regression check`...).
    public var reason: String

    public init(scenario: String, level: Int, reason: String) {
        self.scenario = scenario
        self.level = level
        self.reason = reason
    }

    /// The highest level a challenge has (see the type's comment for why not 4).
    public static let maxLevel = 3

    public static func levelName(_ level: Int) -> String {
        switch level {
        case 1: "guided"
        case 2: "plain"
        default: "terse"
        }
    }

    /// The module's name a build for this challenge must give (`evolve_<scenario>`).
    public var moduleName: String { "evolve_" + scenario }

    /// What the build loop is given: the request, the docs, the module name.
    public struct Brief: Sendable {
        public var request: String
        public var docs: String
        public var name: String
    }

    /// The request for this challenge from the scenario's files in `farm`; an unreadable or malformed scenario is
    /// a one-line error naming the file.
    public func brief(farm: String) throws -> Brief {
        let dir = farm + "/" + scenario
        let specPath = dir + "/openapi.yaml"
        let acceptancePath = dir + "/acceptance.json"
        let spec: String
        let acceptance: JSONValue
        do {
            spec = try FileSystem.readText(specPath, limit: BuildPrompt.docsBytes)
            acceptance = try JSONValue(parsing: FileSystem.readText(acceptancePath, limit: 1 << 20))
        } catch {
            throw NexusError(
                "evolve: scenario \(scenario) cannot be read: \(error.userFacingDescription)",
                hint: "check \(specPath) and \(acceptancePath), or pick another scenario: nexus farm list")
        }
        guard let checks = acceptance["checks"]?.arrayValue, !checks.isEmpty else {
            throw NexusError(
                "evolve: \(acceptancePath) has no \"checks\" list",
                hint: "restore it: git checkout -- \(acceptancePath)")
        }
        let described = FarmScenarios.describe(farm, scenario)
        let base = Self.baseURL(spec: spec) ?? "http://127.0.0.1:\(described.port)"
        var tools: [String] = []
        var arguments: [String: [String]] = [:]
        for c in checks {
            guard let t = c["tool"]?.stringValue else { continue }
            if !tools.contains(t) { tools.append(t) }
            for k in c["arguments"]?.objectValue?.keys ?? [] where !(arguments[t] ?? []).contains(k) {
                arguments[t, default: []].append(k)
            }
        }
        var s = "An integration for the API served at \(base) (its OpenAPI document is attached as the docs)."
        if level <= 1 { s += "\nAbout this API: \(described.summary)" }
        s += "\nTools it must offer:"
        for t in tools {
            let args = arguments[t] ?? []
            s +=
                "\n- \(t)"
                + (level <= 2
                    ? (args.isEmpty ? " (no arguments)" : " (arguments: \(args.joined(separator: ", ")))") : "")
        }
        let credentials = acceptance["credentials"]?.objectValue?.keys ?? []
        if !credentials.isEmpty {
            s += "\nCredentials (manifest.json \"credentials\" names): \(credentials.joined(separator: ", "))."
        }
        if level <= 1 {
            s += "\nIt will be checked with these calls:"
            for c in checks {
                let args = c["arguments"]?.serialized ?? "{}"
                s += "\n- \(c["tool"]?.stringValue ?? "?") \(args) → \(Self.expectation(c["expect"] ?? .null))"
            }
            s += "\nList the API's host and port (\(Self.hostPort(base))) in manifest.json network.allow."
        }
        return Brief(request: s, docs: spec, name: moduleName)
    }

    /// The first `servers:` URL of an OpenAPI document, read as text (the challenge needs only this line).
    static func baseURL(spec: String) -> String? {
        for line in spec.split(separator: "\n") {
            let t = line.trimmingSpaces
            guard t.hasPrefix("- url:") || t.hasPrefix("url:") else { continue }
            let value = t.split(separator: ":", maxSplits: 1).last.map { $0.trimmingSpaces } ?? ""
            let unquoted = value.filter { $0 != "\"" && $0 != "'" }
            if unquoted.hasPrefix("http://") || unquoted.hasPrefix("https://") { return unquoted }
        }
        return nil
    }

    static func hostPort(_ url: String) -> String {
        let rest = url.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first
        return rest.map(String.init) ?? url
    }

    /// An acceptance expectation in words: `an error mentioning 404`, `a list of 3 items`, `an object with ...`.
    static func expectation(_ e: JSONValue) -> String {
        if e["is_error"]?.boolValue == true {
            return "an error" + (e["text"]?.stringValue.map { " mentioning \($0)" } ?? "")
        }
        var parts: [String] = []
        if let n = e["length"]?.intValue { parts.append("a list of \(n) items") }
        if let c = e["contains"] { parts.append("a result containing \(c.serialized)") }
        if let l = e["last"] { parts.append("a list whose last item contains \(l.serialized)") }
        return parts.isEmpty ? "a result" : parts.joined(separator: ", ")
    }
}
