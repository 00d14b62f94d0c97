import NexusPOSIX
import NexusStore

/// Text snapshots kept in the repository under `testdata/snapshots/` (the `--help` of every subcommand, TUI
/// frames), compared in tests the way swift-argument-parser and Codex do: a change to what users see shows
/// up as a diff in review. A mismatch says what differs, line by line, and how to accept it:
/// `NEXUS_RECORD_SNAPSHOTS=1 swift test --filter Snapshot` writes the current text over the stored one.
public struct TextSnapshots: Sendable {
    /// The environment variable that records instead of comparing.
    public static let recordVariable = "NEXUS_RECORD_SNAPSHOTS"

    /// The folder of this set, e.g. `<repository>/testdata/snapshots/help`.
    public let directory: String
    /// The folder as the repository names it (`testdata/snapshots/help`), for messages.
    public let relativeDirectory: String

    /// `folder` is below `testdata/snapshots/`; the repository is found above the calling test file.
    public init(_ folder: String, filePath: String = #filePath) {
        var root = filePath
        while let slash = root.lastIndex(of: "/"), slash != root.startIndex {
            root = String(root[..<slash])
            if FileSystem.exists(root + "/Package.swift") { break }
        }
        relativeDirectory = "testdata/snapshots/" + folder
        directory = root + "/" + relativeDirectory
    }

    public static var isRecording: Bool {
        guard let v = Environment.get(recordVariable) else { return false }
        let s = v
        return !s.isEmpty && s != "0"
    }

    /// The snapshot files of this set (names without `.txt`), to find ones no test produces any more.
    public func storedNames() -> [String] {
        FileSystem.list(directory).filter { $0.hasSuffix(".txt") }.map { String($0.dropLast(4)) }.sorted()
    }

    /// Nil when `actual` is what `name.txt` holds (or was just recorded); otherwise what to tell the person.
    /// `recording: false` only compares, for a second check of a snapshot another test records.
    public func mismatch(_ actual: String, named name: String, recording: Bool = isRecording) -> String? {
        let path = directory + "/" + name + ".txt"
        let shown = relativeDirectory + "/" + name + ".txt"
        let text = actual.hasSuffix("\n") ? actual : actual + "\n"
        if recording {
            do {
                try FileSystem.ensureDirectory(directory, mode: 0o755)
                try FileSystem.writeAtomically(path, text: text)
                return nil
            } catch {
                return "cannot record \(shown): \(error.userFacingDescription)"
            }
        }
        let stored: String
        do { stored = try FileSystem.readText(path) } catch {
            return "no snapshot \(shown) (\(error.userFacingDescription)); record it:\n  \(Self.howToRecord)"
        }
        guard stored != text else { return nil }
        return "\(shown) differs from what is drawn now:\n" + Self.diff(stored, text)
            + "\nIf the change is meant, re-record and review the diff:\n  \(Self.howToRecord)"
    }

    public static let howToRecord = "\(recordVariable)=1 swift test --filter Snapshot"

    /// The changed middle between the common first and last lines, `-` stored and `+` now, with line numbers.
    static func diff(_ old: String, _ new: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false)
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] {
            tail += 1
        }
        var out = ["@@ line \(head + 1) @@"]
        out += a[head..<(a.count - tail)].map { "- " + $0 }
        out += b[head..<(b.count - tail)].map { "+ " + $0 }
        return out.joined(separator: "\n")
    }
}
