import NexusCore
import Testing

@testable import NexusEvolution

/// The build protocol's reply: read leniently, refused strictly (issue 14 "Refused").
@Suite struct BuildReplyParserTests {
    static let manifest = #"{"path":"manifest.json","content":"{}"}"#

    @Test func aBareObjectIsAFileSetSortedByPath() throws {
        let set = try BuildReplyParser.parse(
            #"{"files":[{"path":"b.py","content":"x"},\#(Self.manifest)],"notes":"n"}"#)
        #expect(set.files.map(\.path) == ["b.py", "manifest.json"])
        #expect(set.notes == "n")
    }

    @Test func aFencedObjectInProseWithTrailingCommasIsRead() throws {
        let reply = """
            Sure! Here is your module:
            ```json
            {"files": [\(Self.manifest), {"path": "adapter.py", "content": "print('```')\\n"},],}
            ```
            Let me know if you need anything else.
            """
        let set = try BuildReplyParser.parse(reply)
        #expect(set.file("adapter.py")?.content == "print('```')\n")
    }

    @Test func proseWithoutJSONIsRefusedWithItsBeginning() {
        #expect(throws: BuildReplyError.noJSON(excerpt: "I cannot write that module, sorry.")) {
            try BuildReplyParser.parse("I cannot write that module, sorry.")
        }
    }

    @Test func brokenJSONIsRefused() {
        #expect(throws: BuildReplyError.self) {
            try BuildReplyParser.parse(#"{"files": [{"path": "a.py", "content": "#)
        }
    }

    @Test func anEmptyFileSetIsRefused() {
        #expect(throws: BuildReplyError.empty) { try BuildReplyParser.parse(#"{"files": []}"#) }
    }

    @Test(arguments: [
        "../escape.py", "/etc/passwd", "a/../../b.py", "~/x.py", "a\\b.py", "a\u{0}b.py", ".", "..", "a//b.py",
        ".hidden", "dir/", "nexus_adapter.py", "versions/v1/adapter.py", "C:x.py", "a\nb.py",
    ])
    func pathsThatCouldEscapeOrShadowAreRefused(path: String) {
        let reply = JSONValue.object(
            JSONObject([("files", .array([.object(JSONObject([("path", .string(path)), ("content", "x")]))]))]))
        #expect(throws: BuildReplyError.self, "\(path.debugDescription) must be refused") {
            try BuildReplyParser.parse(reply.serialized)
        }
    }

    @Test func duplicatePathsAndCaseCollisionsAreRefused() {
        for pair in [("a.py", "a.py"), ("Adapter.py", "adapter.py"), ("a", "a/b.py")] {
            let reply = #"{"files":[{"path":"\#(pair.0)","content":"1"},{"path":"\#(pair.1)","content":"2"}]}"#
            #expect(throws: BuildReplyError.self, "\(pair)") { try BuildReplyParser.parse(reply) }
        }
    }

    @Test func aFileOver256KBIsRefused() {
        let big = String(repeating: "x", count: BuildFileSet.Limits.fileBytes + 1)
        let reply = JSONValue.object(
            JSONObject([("files", .array([.object(JSONObject([("path", "big.py"), ("content", .string(big))]))]))]))
        #expect(throws: BuildReplyError.fileTooLarge(path: "big.py", bytes: big.utf8.count)) {
            try BuildReplyParser.parse(reply.serialized)
        }
    }

    @Test func moreThanFiftyFilesAreRefused() {
        let files = (0...BuildFileSet.Limits.files).map { #"{"path":"f\#($0).py","content":""}"# }
        #expect(throws: BuildReplyError.tooManyFiles(BuildFileSet.Limits.files + 1)) {
            try BuildReplyParser.parse(#"{"files":[\#(files.joined(separator: ","))]}"#)
        }
    }

    @Test func aReplyOverTenMegabytesIsRefusedBeforeParsing() {
        let huge = String(repeating: " ", count: BuildFileSet.Limits.replyBytes + 1)
        #expect(throws: BuildReplyError.tooLarge(bytes: huge.utf8.count)) { try BuildReplyParser.parse(huge) }
    }

    @Test func theDiffCountsChangedLinesAndNamesTheFiles() {
        let a = [BuildFile(path: "adapter.py", content: "a\nb\nc\n"), BuildFile(path: "old.py", content: "x\n")]
        let b = [BuildFile(path: "adapter.py", content: "a\nB\nc\n"), BuildFile(path: "new.py", content: "y\n")]
        let d = FileSetDiff(from: a, to: b)
        #expect(d.changedLines == 4)
        #expect(d.text.contains("--- a/adapter.py\n+++ b/adapter.py"))
        #expect(d.text.contains("-b\n+B"))
        #expect(d.text.contains("--- a/old.py\n+++ /dev/null"))
        #expect(d.text.contains("+++ b/new.py"))
        #expect(FileSetDiff(from: a, to: a).changedLines == 0)
    }
}
