import NexusCore
import NexusOrchestrator
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Loading nexus.toml from disk: where it is looked for, what a missing or misplaced file means,
/// and that the shipped example is complete and clean.
@Suite struct ConfigLoaderTests {
    static let repositoryRoot: String = {
        var path = #filePath
        for _ in 0..<3 {
            if let slash = path.lastIndex(of: "/") { path = String(path[..<slash]) }
        }
        return path
    }()

    func loadError(_ body: () throws -> ConfigLoader.Loaded) -> ConfigError? {
        do {
            _ = try body()
            return nil
        } catch let e as ConfigError {
            return e
        } catch {
            Issue.record("expected a ConfigError, got \(error)")
            return nil
        }
    }

    @Test func missingDefaultFileGivesDefaults() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let paths = NexusPaths.resolve(homeFlag: nil, configFlag: nil, environment: ["XDG_CONFIG_HOME": dir.path])
        #expect(!paths.configIsExplicit)
        let loaded = try ConfigLoader.load(paths: paths, environment: [:])
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.config.providers.map(\.name) == ["local"])
        #expect(loaded.config.routing[.simpleQuery]?.first?.provider == "local")
    }

    @Test func missingExplicitFileIsAnErrorNamingIt() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path + "/nope.toml"
        for paths in [
            NexusPaths.resolve(homeFlag: nil, configFlag: file, environment: [:]),
            NexusPaths.resolve(homeFlag: nil, configFlag: nil, environment: ["NEXUS_CONFIG": file]),
        ] {
            let e = try #require(loadError { try ConfigLoader.load(paths: paths, environment: [:]) })
            #expect(e.userMessage == "\(file): no such file")
            #expect(e.exitCode == .usage)
        }
    }

    @Test func configPathThatIsADirectoryIsAnError() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let paths = NexusPaths.resolve(homeFlag: nil, configFlag: dir.path, environment: [:])
        let e = try #require(loadError { try ConfigLoader.load(paths: paths, environment: [:]) })
        #expect(e.userMessage == "\(dir.path): is a directory, expected a TOML file")
        #expect(e.exitCode == .usage)
    }

    @Test func unreadableFileIsAnErrorNamingIt() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        // Root reads any file whatever its mode; /proc/self/mem fails to read (EIO) even for root.
        let file = geteuid() == 0 ? "/proc/self/mem" : dir.write("nexus.toml", "privacy = \"open\"\n", mode: 0o000)
        let e = try #require(loadError { try ConfigLoader.load(file: file, explicit: true, environment: [:]) })
        #expect(e.userMessage.hasPrefix("\(file): cannot "))
        #expect(e.exitCode == .usage)
    }

    @Test func syntaxErrorNamesFileAndLine() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.write("nexus.toml", "privacy = \"open\"\n\n[routing\n")
        let e = try #require(loadError { try ConfigLoader.load(file: file, explicit: false, environment: [:]) })
        #expect(e.userMessage == "\(file):3: expected \"]\" to close the table header")
        #expect(e.exitCode == .usage)
    }

    @Test func nonUTF8FileNamesTheLine() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.write("nexus.toml", "a = 1\n")
        let fd = open(file, O_WRONLY | O_APPEND)
        let bad: [UInt8] = Array("[ui]\ncolor = \"".utf8) + [0xFF] + Array("\"\n".utf8)
        _ = bad.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        let e = try #require(loadError { try ConfigLoader.load(file: file, explicit: true, environment: [:]) })
        #expect(e.line == 3)
        #expect(e.userMessage.contains("invalid UTF-8"))
    }

    @Test func wrongTypeInAFileExitsTwoWithFileLineAndKey() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.write("nexus.toml", "[routing]\ncode_generation = 42\n")
        let e = try #require(loadError { try ConfigLoader.load(file: file, explicit: true, environment: [:]) })
        #expect(e.userMessage == "\(file):2: routing.code_generation: expected \"provider:model\" or a list of them")
    }

    @Test func warningsComeBackAsLinesWithTheirFile() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.write("nexus.toml", "[providers.local]\nkind = \"openai\"\nbse_url = \"http://x\"\n")
        let loaded = try ConfigLoader.load(file: file, explicit: true, environment: [:])
        #expect(loaded.warnings == ["\(file):3: unknown key providers.local.bse_url (did you mean base_url?)"])
    }

    @Test func exampleDocumentsEveryKeyAndDecodesWithoutWarnings() throws {
        let file = Self.repositoryRoot + "/nexus.toml.example"
        let loaded = try ConfigLoader.load(file: file, explicit: true, environment: [:])
        #expect(loaded.warnings == [])
        let c = loaded.config
        #expect(c.providers.map(\.name) == ["anthropic", "openai", "gemini", "ollama", "local"])
        // Every field the model has must be set away from its default somewhere in the example,
        // so a key added to NexusConfig without an example line makes this fail.
        let defaults = NexusConfig()
        #expect(c.privacy == defaults.privacy || c.privacy == .localOnly)
        #expect(c.conversation.systemPrompt != nil)
        #expect(c.provider(named: "local")?.autostartCommand.isEmpty == false)
        #expect(c.provider(named: "anthropic")?.contextWindow != nil)
        #expect(c.provider(named: "openai")?.headers.isEmpty == false)
        #expect(!c.taskTiers.isEmpty && !c.taskKeywords.isEmpty && !c.pricing.isEmpty)
        #expect(c.routing.count == TaskType.builtIn.count + 1)
    }

    @Test func exampleHasALineForEveryKeyTheDecoderReads() throws {
        let text = String(decoding: try readAll(Self.repositoryRoot + "/nexus.toml.example"), as: UTF8.self)
        let doc = try TOMLParser.parse(text)
        for path in ConfigDecoder.allKeyPaths {
            #expect(
                Self.matches(doc, Array(path.split(separator: ".").map(String.init))), "\(path) is not in the example")
        }
    }

    @Test func emptyConfigPathIsAnError() throws {
        let e = try #require(loadError { try ConfigLoader.load(file: "", explicit: true, environment: [:]) })
        #expect(e.exitCode == .usage)
        #expect(e.userMessage.contains("expected a file path"))
    }

    /// Whether `doc` has a value at `path`, where `*` matches any key.
    static func matches(_ table: TOMLTable, _ path: [String]) -> Bool {
        guard let first = path.first else { return true }
        let candidates = first == "*" ? table.entries.map(\.value) : [table[first]].compactMap { $0 }
        if path.count == 1 { return !candidates.isEmpty }
        return candidates.contains { v in v.table.map { matches($0, Array(path.dropFirst())) } ?? false }
    }

    func readAll(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0, "cannot open \(path)")
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
}
