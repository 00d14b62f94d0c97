import NexusCore
import NexusModules
import NexusPOSIX
import NexusStore

/// Check c: manifest.json against the module manifest's rules. `ManifestValidator` (Swift) stays the
/// authority; docs/manifest.schema.json describes the same fields for people and other tools.
enum ManifestCheck {
    struct Result: Sendable {
        var check: GateCheck
        var manifest: ModuleManifest?
    }

    static func run(workspace: String) async -> Result {
        let start = MonotonicClock.nanoseconds()
        let path = workspace + "/" + ModuleManifest.fileName
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(path, limit: 1 << 20, wait: 0)
        } catch {
            return Result(
                check: .fail(
                    "manifest", .manifest, "manifest.json: missing or unreadable",
                    seconds: ModuleGate.seconds(since: start)), manifest: nil)
        }
        var problems: [String] = []
        var manifest: ModuleManifest?
        var named: [String] = []
        do {
            manifest = try ModuleManifest.parse(bytes, file: "manifest.json")
        } catch {
            problems += error.allLines
            named = error.issues.map(\.field)
        }
        // Not JSON: the manifest validator above reports the parse error with its position.
        if let json = try? JSONValue(parsing: bytes) {
            problems += JSONSchemaCheck.problems(json, against: schema)
                .filter { !saysAgain($0, named) }.map { "manifest.json: \($0)" }
            if let entry = json["entry_point"]?.stringValue,
                let script = json["runtime"]?["command"]?.arrayValue?.last?
                    .stringValue, script != entry
            {
                problems.append(
                    "manifest.json: runtime.command runs \(JSONValue.string(script).serialized), not the "
                        + "entry_point \(JSONValue.string(entry).serialized)")
            }
            for key in ["entry_point", "test_file"] {
                if let rel = json[key]?.stringValue, !rel.isEmpty,
                    let why = ModuleFiles.containedFileProblem(rel, in: workspace)
                {
                    problems.append("manifest.json: \(key) \(JSONValue.string(rel).serialized): \(why)")
                }
            }
        }
        let t = ModuleGate.seconds(since: start)
        problems = problems.map { $0.replacing(workspace, with: "the module folder") }
        guard problems.isEmpty, let manifest else {
            return Result(
                check: .fail("manifest", .manifest, problems.joined(separator: "\n"), seconds: t), manifest: nil)
        }
        return Result(
            check: .pass(
                "manifest", "manifest.json: \(manifest.name) \(manifest.version) matches the schema", seconds: t),
            manifest: manifest)
    }

    /// Whether a schema problem is about a field the validator already named: the validator's words say
    /// what to do, the schema's (`does not match ^(\\*\\.)?…$`) only repeat that something is wrong there.
    static func saysAgain(_ problem: String, _ fields: [String]) -> Bool {
        guard let colon = problem.firstRange(of: ": ") else { return false }
        let path = String(problem[..<colon.lowerBound])
        return fields.contains { f in
            !f.isEmpty && (path == f || path.hasPrefix(f + ".") || path.hasPrefix(f + "["))
        }
    }

    /// docs/manifest.schema.json as compiled in.
    // A constant of this binary; the empty schema would only leave the checks to the validator.
    static let schema: JSONValue = (try? JSONValue(parsing: ManifestSchema.text)) ?? .object(JSONObject())
}
