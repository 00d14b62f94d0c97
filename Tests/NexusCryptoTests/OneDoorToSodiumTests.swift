import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// libsodium has one door: only NexusCrypto imports its shim, so the vault and the module pins use the
/// same vetted calls (a transitive dependency would otherwise let any target import CSodium again).
@Suite struct OneDoorToSodiumTests {
    static var sources: String {
        var dir = #filePath
        for _ in 0..<3 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        return dir + "/Sources"
    }

    static func swiftFiles(under dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasPrefix(".") { continue }
            let path = dir + "/" + name
            if Int32(e.pointee.d_type) == Int32(DT_DIR) {
                out += swiftFiles(under: path)
            } else if name.hasSuffix(".swift") {
                out.append(path)
            }
        }
        return out
    }

    static func text(_ path: String) -> String {
        guard let f = fopen(path, "r") else { return "" }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            bytes += buf[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func onlyNexusCryptoImportsCSodium() {
        let files = Self.swiftFiles(under: Self.sources)
        #expect(files.count > 100, "no sources found under \(Self.sources)")
        let importers = files.filter { Self.text($0).contains("import CSodium") }.map {
            String($0.dropFirst(Self.sources.count + 1))
        }
        #expect(!importers.isEmpty && importers.allSatisfy { $0.hasPrefix("NexusCrypto/") }, "\(importers)")
    }
}
