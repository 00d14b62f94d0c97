import NexusCore

/// Reads a model's build reply leniently and refuses anything that could escape the module folder.
///
/// Lenient: the JSON object may be bare, inside a ```json fence, or surrounded by prose, and may carry
/// trailing commas. Strict: every path is a plain relative path inside the folder, each file is at most
/// 256 KB, at most 50 files, no duplicates (also by case), and the set is not empty. Nothing here touches
/// the disk; the workspace writes only a set that passed.
public enum BuildReplyParser {
    public static func parse(_ reply: String) throws(BuildReplyError) -> BuildFileSet {
        if reply.utf8.count > BuildFileSet.Limits.replyBytes { throw .tooLarge(bytes: reply.utf8.count) }
        // Joined from a stream's pieces, then searched for braces character by character: its long runs of
        // combining marks in order first (`MarkOrder`), or each comparison sorts them in quadratic time.
        let text = MarkOrder.ordered(reply)
        guard
            // Candidates that are not JSON are skipped; none at all is reported below.
            let root = candidates(text).lazy.compactMap({ try? JSONValue(parsing: $0) }).first(where: {
                $0["files"] != nil
            })
        else {
            let head = text.drop { $0 == " " || $0 == "\n" }.prefix(80)
            throw .noJSON(excerpt: String(head))
        }
        guard case .array(let items) = root["files"] ?? .null else { throw .notAFileSet("\"files\" is not an array") }
        if items.isEmpty { throw .empty }
        if items.count > BuildFileSet.Limits.files { throw .tooManyFiles(items.count) }
        var files: [BuildFile] = []
        var seen: Set<String> = []
        for (i, item) in items.enumerated() {
            guard let path = item["path"]?.stringValue else { throw .notAFileSet("files[\(i)] has no string \"path\"") }
            guard let content = item["content"]?.stringValue else {
                throw .notAFileSet("files[\(i)] (\(path)) has no string \"content\"")
            }
            if let reason = pathProblem(path) { throw .badPath(path: path, reason: reason) }
            if content.utf8.count > BuildFileSet.Limits.fileBytes {
                throw .fileTooLarge(path: path, bytes: content.utf8.count)
            }
            if !seen.insert(path.lowercased()).inserted {
                throw .badPath(path: path, reason: "another file has the same path (letter case ignored)")
            }
            files.append(BuildFile(path: path, content: content))
        }
        // A file may not also be a folder of another ("a" and "a/b").
        for f in files where seen.contains(where: { $0.hasPrefix(f.path.lowercased() + "/") }) {
            throw .badPath(path: f.path, reason: "it is a file and also the folder of another file")
        }
        return BuildFileSet(files: files, notes: root["notes"]?.stringValue ?? "")
    }

    /// Why `path` may not be written inside a module folder, or nil. Only plain names joined by `/`:
    /// no absolute path, no `.` or `..`, no empty or hidden component, no backslash or control character.
    public static func pathProblem(_ path: String) -> String? {
        if path.isEmpty { return "empty path" }
        if path.utf8.count > BuildFileSet.Limits.pathBytes {
            return "longer than \(BuildFileSet.Limits.pathBytes) bytes"
        }
        if path.hasPrefix("/") || path.hasPrefix("~") {
            return "absolute path; expected a path inside the module folder"
        }
        if path.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) {
            return "contains a control character (NUL, newline...)"
        }
        if path.contains("\\") { return "contains a backslash" }
        if path.contains(":") { return "contains a colon" }
        for comp in path.split(separator: "/", omittingEmptySubsequences: false) {
            if comp.isEmpty { return "has an empty component (// or a trailing /)" }
            if comp == ".." { return "escapes the module folder (..)" }
            if comp.hasPrefix(".") { return "has a hidden or dot-only component (\(comp))" }
        }
        if path == "nexus_adapter.py" { return "the runtime helper is provided by NEXUS; do not send it" }
        if path.hasPrefix("versions/") { return "versions/ is kept by the installer" }
        return nil
    }

    /// Texts that may hold the object, most likely first: the whole reply, the body of a ``` fence (up to
    /// its last closing fence), the span from the first `{` to the last `}`; each also without trailing commas.
    static func candidates(_ text: String) -> [String] {
        var out = [text]
        if let open = text.firstRange(of: "```") {
            var body = text[open.upperBound...]
            if let nl = body.firstIndex(of: "\n"), body[..<nl].allSatisfy({ $0.isLetter }) {
                body = body[body.index(after: nl)...]
            }
            if let close = body.ranges(of: "```").last { body = body[..<close.lowerBound] }
            out.append(String(body))
        }
        if let first = text.firstIndex(of: "{"), let last = text.lastIndex(of: "}"), first < last {
            out.append(String(text[first...last]))
        }
        return out + out.map(withoutTrailingCommas)
    }

    /// Drops a `,` that is followed (after white space) by `}` or `]`, outside strings.
    static func withoutTrailingCommas(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var inString = false
        var escaped = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
                out.append(b)
            } else if b == UInt8(ascii: "\"") {
                inString = true
                out.append(b)
            } else if b == UInt8(ascii: ",") {
                var j = i + 1
                while j < bytes.count, [0x20, 0x0a, 0x0d, 0x09].contains(bytes[j]) { j += 1 }
                if j < bytes.count, bytes[j] == UInt8(ascii: "}") || bytes[j] == UInt8(ascii: "]") {
                } else {
                    out.append(b)
                }
            } else {
                out.append(b)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
