import Testing

@testable import NexusREPL

#if canImport(Glibc)
    import Glibc
#endif

/// The terminal history file: appended by each session, never rewritten from one session's memory.
@Suite(.serialized) struct EditLineHistorySpecs {
    func temporaryPath() -> String {
        var template = Array("/tmp/nexus-history-XXXXXX".utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        return dir + "/repl_history"
    }

    func entries(_ path: String) -> [String] {
        guard let f = fopen(path, "r") else { return [] }
        defer { fclose(f) }
        var lines: [String] = []
        var buf = [CChar](repeating: 0, count: 4096)
        while fgets(&buf, Int32(buf.count), f) != nil {
            lines.append(String(cString: buf).trimmingSuffix("\n"))
        }
        return lines.filter { !$0.hasPrefix("_HiStOrY_V2_") }
    }

    func append(_ line: String, to path: String) {
        let f = fopen(path, "a")
        fputs(line + "\n", f)
        fclose(f)
    }

    @Test func linesAnotherSessionWroteMeanwhileAreKept() {
        let path = temporaryPath()
        let first = EditLineSource(historyPath: path)
        first.remember("from-the-first-session")
        first.close()
        let second = EditLineSource(historyPath: path)
        append("written-meanwhile", to: path)  // another nexus on this home quit while this one ran
        second.remember("from-the-second-session")
        second.close()
        #expect(entries(path) == ["from-the-first-session", "written-meanwhile", "from-the-second-session"])
    }

    @Test func theFileIsCreatedPrivateAndOnlyWhenSomethingWasTyped() {
        let path = temporaryPath()
        let idle = EditLineSource(historyPath: path)
        idle.remember("   ")
        idle.close()
        #expect(access(path, F_OK) != 0, "nothing typed, nothing written")
        let typed = EditLineSource(historyPath: path)
        typed.remember("/help")
        typed.close()
        var st = stat()
        #expect(stat(path, &st) == 0)
        #expect(st.st_mode & 0o777 == 0o600)
        #expect(entries(path) == ["/help"])
    }

    @Test func theFileIsTrimmedToTheNewestEntries() {
        let path = temporaryPath()
        let f = fopen(path, "w")
        fputs("_HiStOrY_V2_\n", f)
        for i in 0..<1500 { fputs("old\\040\(i)\n", f) }
        fclose(f)
        let s = EditLineSource(historyPath: path)
        s.remember("newest")
        s.close()
        let got = entries(path)
        #expect(got.count == Int(EditLineSource.historyLimit))
        #expect(got.last == "newest")
        #expect(got.first == "old\\040\(1500 - Int(EditLineSource.historyLimit) + 1)")
        _ = EditLineSource(historyPath: path)
        #expect(EditLineSource.entriesInMemory == Int(EditLineSource.historyLimit), "the next session reads it back")
    }
}

/// Issue 12 item 11: a secret typed or pasted at the prompt never reaches the history file.
@Suite(.serialized) struct HistoryRedactionSpecs {
    static let secret = "sk-canary-9f2eQx7"

    func temporaryPath() -> String {
        var template = Array("/tmp/nexus-history-XXXXXX".utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        return dir + "/repl_history"
    }

    func fileText(_ path: String) -> String {
        guard let f = fopen(path, "r") else { return "" }
        defer { fclose(f) }
        var text = ""
        var buf = [CChar](repeating: 0, count: 4096)
        while fgets(&buf, Int32(buf.count), f) != nil { text += String(cString: buf) }
        return text
    }

    @Test func linesAreRedactedBeforeTheyReachTheHistoryFile() {
        let path = temporaryPath()
        let s = EditLineSource(historyPath: path)
        s.remember("my key is \(Self.secret), use it")
        s.remember("/creds set demo token")
        // The vault opens after the first line was typed (the prompt shows while nexus starts).
        s.redactHistory(with: { $0.replacing(HistoryRedactionSpecs.secret, with: "«redacted:demo/token»") })
        s.close()
        let text = fileText(path)
        #expect(!text.contains(Self.secret), "\(text)")
        #expect(!text.contains("sk-canary"))
        #expect(text.contains("redacted:demo/token"), "the line is kept, redacted: \(text)")
        #expect(text.contains("/creds"))
        _ = EditLineSource(historyPath: path)
        #expect(EditLineSource.entriesInMemory == 2, "the file still reads back")
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
