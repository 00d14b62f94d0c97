import NexusCore
import NexusOrchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Bad input never crashes: hundreds of damaged copies of the example each either load or fail with
/// a ConfigError that names a line in the file.
@Suite struct ConfigFuzzTests {
    /// SplitMix64: deterministic, so a failure reproduces.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let interesting: [UInt8] = Array("[]{}=\"'#.,:\\\n\r\t 0x_-+eE9azZ".utf8) + [0x00, 0x7F, 0xC3, 0xE9, 0xFF]

    func exampleBytes() throws -> [UInt8] {
        let path = ConfigLoaderTests.repositoryRoot + "/nexus.toml.example"
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return out
    }

    @Test func damagedConfigsFailWithALineOrLoad() throws {
        let original = try exampleBytes()
        let lineCount = original.filter { $0 == 0x0A }.count + 1
        var rng = Generator(state: 2026)
        var failures = 0
        for _ in 0..<600 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                let byte = Self.interesting.randomElement(using: &rng) ?? 0
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[at] = byte
                case 1: bytes.insert(byte, at: at)
                default: bytes.remove(at: at)
                }
            }
            do {
                _ = try ConfigLoader.load(bytes: bytes, file: "fuzz.toml", environment: [:])
            } catch {
                failures += 1
                #expect(error.file == "fuzz.toml")
                #expect(error.line.map { (1...lineCount + 4).contains($0) } ?? false, "\(error)")
                #expect(error.userMessage.hasPrefix("fuzz.toml:"))
            }
        }
        #expect(failures > 60, "the mutations should break many documents (\(failures))")
    }
}
