import NexusCore
import NexusTesting
import NexusVault
import Testing

@testable import NexusModules

/// Issue 12 item 11: a stderr line longer than the 64 KiB buffer is written in parts; a secret sitting
/// across a part boundary used to be split there, each half passing the redactor.
@Suite struct ModuleLogCutSpecs {
    static let secret = "cAnary-7Qx!vault+S3cret/9f2e"
    let redactor = Redactor(secrets: [.init(label: "leaky/token", value: Array(secret.utf8))])

    func read(_ path: String) -> String {
        String(decoding: (try? ModuleFiles.read(path)) ?? [], as: UTF8.self)
    }

    @Test func aSecretAcrossTheCutOfAnOverlongLineIsRedacted() {
        for offset in [1, 9, 27] {
            let dir = TemporaryDirectory()
            defer { dir.remove() }
            let path = dir.path + "/m.log"
            let log = ModuleLog(path: path, scrubber: redactor)
            // The first write passes the 64 KiB buffer mid-secret: `offset` bytes of the secret are in it.
            let filler = String(repeating: "x", count: ModuleLog.maxPendingBytes + 1 - offset)
            log.stderr(ArraySlice((filler + Self.secret.prefix(offset)).utf8))
            log.stderr(ArraySlice((Self.secret.dropFirst(offset) + " and more\n").utf8))
            let text = read(path)
            #expect(text.hasSuffix("«redacted:leaky/token» and more\n"), "offset \(offset): \(text.suffix(60))")
            #expect(!text.contains(Self.secret.prefix(offset + 4)), "offset \(offset)")
            #expect(text.utf8.count == filler.utf8.count + "«redacted:leaky/token» and more\n".utf8.count)
        }
    }

    @Test func anOverlongLineIsStillWrittenInPartsAsItArrives() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/m.log"
        let log = ModuleLog(path: path, scrubber: redactor)
        log.stderr(ArraySlice(String(repeating: "y", count: ModuleLog.maxPendingBytes + 5000).utf8))
        #expect(read(path).utf8.count >= ModuleLog.maxPendingBytes, "only the carry-over window waits")
        log.flushStderr()
        #expect(read(path).utf8.count == ModuleLog.maxPendingBytes + 5000)
    }

    @Test func multiByteCharactersAtTheCutSurvive() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/m.log"
        let log = ModuleLog(path: path, scrubber: redactor)
        let line = String(repeating: "漢", count: ModuleLog.maxPendingBytes / 3 + 10)
        var bytes = Array(line.utf8)[...]
        while !bytes.isEmpty {
            log.stderr(bytes.prefix(4097))
            bytes = bytes.dropFirst(4097)
        }
        log.flushStderr()
        #expect(read(path) == line)
    }
}
