import NexusCore
import NexusPOSIX
import NexusStore

/// The template version a build writes from (`templates/python/`): its VERSION, the example module's
/// files, and a summary of the runtime helper's public API. Read once per build and sent with every
/// generation request, so the model copies a module that already passes the gate.
public struct BuildTemplate: Sendable {
    public var directory: String
    public var version: String
    public var files: [BuildFile]
    public var helperSummary: String
    /// Lessons of an adopted evolved version (`EvolvedTemplates`), sent with the generation request.
    public var lessons: [String] = []

    /// Reads `templates/python` (the folder holding `nexus_adapter.py` and `module_template/`).
    public static func load(directory: String) throws -> BuildTemplate {
        let example = directory + "/module_template"
        guard FileSystem.kind(of: example) == .directory else {
            throw NexusError(
                "\(example): the module template is missing",
                hint: "run nexus from its repository or install the templates beside the modules folder")
        }
        let version =
            // No VERSION file: "unversioned". Template files that cannot be read are left out of the prompt.
            (try? FileSystem.readText(directory + "/VERSION", limit: 256))?
            .split(separator: "\n").first.map { String($0).buildTrimmed() } ?? "unversioned"
        var files: [BuildFile] = []
        collect(example, prefix: "", into: &files)
        // No helper file: the prompt says nothing about it.
        let helper = (try? FileSystem.readText(directory + "/nexus_adapter.py", limit: 1 << 20)) ?? ""
        return BuildTemplate(directory: directory, version: version, files: files, helperSummary: summary(helper))
    }

    static func collect(_ dir: String, prefix: String, into out: inout [BuildFile]) {
        for name in FileSystem.list(dir) where !name.hasPrefix(".") && name != "__pycache__" {
            let full = dir + "/" + name
            let rel = prefix.isEmpty ? name : prefix + "/" + name
            switch FileSystem.kind(of: full) {
            case .directory: collect(full, prefix: rel, into: &out)
            case .file:
                // Binary or too large for the prompt: left out of the example.
                if let text = try? FileSystem.readText(full, limit: 64 << 10) {
                    out.append(BuildFile(path: rel, content: text))
                }
            default: continue
            }
        }
    }

    /// The helper's public surface: `__all__`, each public top-level class and function signature and
    /// public method, each with the first line of its docstring. Bounded to 8 KB.
    public static func summary(_ source: String) -> String {
        var out: [String] = []
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        var inPublicClass = false
        var i = 0
        while i < lines.count {
            let line = lines[i]
            let isTop = line.hasPrefix("class ") || line.hasPrefix("def ")
            let isMethod = line.hasPrefix("    def ") && !line.hasPrefix("    def _")
            if line.hasPrefix("class ") { inPublicClass = !line.hasPrefix("class _") }
            if line.hasPrefix("def ") { inPublicClass = false }
            let name = line.drop { $0 == " " }.dropFirst(line.contains("class ") && isTop ? 6 : 4)
            if (isTop && !name.hasPrefix("_")) || (isMethod && inPublicClass) {
                var sig = String(line)
                var j = i
                while !sig.hasSuffix(":"), j + 1 < lines.count, j - i < 6 {
                    j += 1
                    sig += " " + lines[j].buildTrimmed()
                }
                out.append(sig)
                if j + 1 < lines.count {
                    let doc = lines[j + 1].buildTrimmed()
                    if doc.hasPrefix("\"\"\"") {
                        let text = doc.dropFirst(3).buildReplacing("\"\"\"", with: "")
                        if !text.isEmpty { out.append(String(repeating: " ", count: isMethod ? 8 : 4) + "# " + text) }
                    }
                }
                i = j
            }
            i += 1
        }
        let text = out.joined(separator: "\n")
        return text.utf8.count > 8192 ? String(text.prefix(8192)) + "\n…" : text
    }
}

extension StringProtocol {
    func buildTrimmed() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }

    func buildReplacing(_ target: String, with replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound] + replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
