import NexusCore
import NexusTesting
import Testing

@testable import NexusModules

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct ManifestTests {
    let file = "modules/gaming/clashroyale/manifest.json"

    func manifest(_ extra: String) -> String {
        """
        {"name": "clashroyale", "version": "1.0.0", "category": "gaming", "description": "Stats",
         "entry_point": "adapter.py"\(extra.isEmpty ? "" : ", " + extra)}
        """
    }

    @Test func seedManifestWithNexusFieldsParses() throws {
        let m = try ModuleManifest.parse(
            manifest(
                """
                "runtime": {"protocol": "mcp-stdio", "command": ["python3", "adapter.py"]},
                "credentials": [{"name": "api_key", "env": "CLASHROYALE_API_KEY", "instructions": "get one"}],
                "network": {"allow": ["api.clashroyale.com", "*.example.com:8443"]},
                "rate_limit_per_minute": 30, "sensitive_tools": ["delete_*"], "requires_api_key": true,
                "validation_results": {"unit_tests": "pass"}, "created_by": "executor_agent"
                """), file: file)
        #expect(m.name == "clashroyale")
        #expect(m.runtime.command == ["python3", "adapter.py"])
        #expect(m.credentials == [.init(name: "api_key", env: "CLASHROYALE_API_KEY", instructions: "get one")])
        #expect(m.networkAllow == ["api.clashroyale.com", "*.example.com:8443"])
        #expect(m.rateLimitPerMinute == 30)
        #expect(m.sensitiveTools == ["delete_*"])
    }

    @Test func pythonEntryPointImpliesThePythonCommand() throws {
        let m = try ModuleManifest.parse(manifest(""), file: file)
        #expect(m.runtime.command == ["python3", "adapter.py"])
    }

    @Test func urlInNetworkAllowIsRejectedWithFieldPath() {
        let e = #expect(throws: ManifestError.self) {
            try ModuleManifest.parse(manifest(#""network": {"allow": ["https://x"]}"#), file: file)
        }
        #expect(
            e?.userMessage
                == #"modules/gaming/clashroyale/manifest.json: network.allow[0]: "https://x" is a URL, expected a host name"#
        )
    }

    /// The manifest check was looser than the proxy: `localhost` without a port installed and then failed at
    /// launch, and `[::1]:8080`, which the proxy accepts, was refused. Both now follow the jailer's rule.
    @Test func networkAllowAcceptsExactlyWhatTheEgressProxyAccepts() throws {
        for bad in ["localhost", "127.0.0.1", "2130706433", "0.0.0.0:80", "api.example.com:99999", "*.com"] {
            #expect(throws: ManifestError.self, "\(bad)") {
                try ModuleManifest.parse(manifest(#""network": {"allow": ["\#(bad)"]}"#), file: file)
            }
        }
        let e = #expect(throws: ManifestError.self) {
            try ModuleManifest.parse(manifest(#""network": {"allow": ["localhost"]}"#), file: file)
        }
        #expect(e?.userMessage.contains("needs its port") == true, "\(e?.userMessage ?? "")")
        for good in ["api.example.com", "*.example.com", "api.example.com:8443", "localhost:8080", "[::1]:8080"] {
            let m = try ModuleManifest.parse(manifest(#""network": {"allow": ["\#(good)"]}"#), file: file)
            #expect(m.networkAllow.count == 1, "\(good)")
        }
    }

    @Test func entryPointThatEscapesItsFolderIsRejected() {
        let text = #"{"name": "x", "version": "1.0.0", "category": "c", "entry_point": "../../x"}"#
        let e = #expect(throws: ManifestError.self) { try ModuleManifest.parse(text, file: file) }
        #expect(e?.userMessage.contains(#"entry_point: "../../x" escapes the module folder"#) == true)
    }

    @Test func symlinkedEntryPointLeavingTheFolderIsRejectedOnLoad() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        dir.write("outside.py", "print(1)\n")
        _ = mkdir(dir.path + "/mod", 0o755)
        symlink(dir.path + "/outside.py", dir.path + "/mod/adapter.py")
        dir.write(
            "mod/manifest.json", #"{"name": "x", "version": "1.0.0", "category": "c", "entry_point": "adapter.py"}"#)
        let e = #expect(throws: ManifestError.self) { try ModuleManifest.load(folder: dir.path + "/mod") }
        #expect(e?.userMessage.contains("escapes the module folder") == true)
    }

    @Test func everyProblemIsCollectedWithItsField() {
        let text = """
            {"name": "bad name", "version": "one", "category": "c__d", "runtime": {"protocol": "http", "command": []},
             "credentials": [{"name": "k", "env": "lower"}], "rate_limit_per_minute": -1, "sha256": "abc",
             "sensitive_tools": [3]}
            """
        let e = #expect(throws: ManifestError.self) { try ModuleManifest.parse(text, file: "m.json") }
        let fields = Set(e?.issues.map(\.field) ?? [])
        #expect(
            fields.isSuperset(of: [
                "name", "version", "category", "runtime.protocol", "runtime.command", "credentials[0].env",
                "rate_limit_per_minute", "sha256", "sensitive_tools[0]",
            ]))
        #expect(e?.userMessage.hasPrefix("m.json: name: \"bad name\" may contain only") == true)
        #expect(e?.userMessage.contains("more problems") == true)
    }

    @Test func invalidJSONNamesTheLineAndColumn() {
        let e = #expect(throws: ManifestError.self) { try ModuleManifest.parse("{\"name\": ", file: "m.json") }
        #expect(e?.userMessage.contains("not valid JSON") == true)
        let text = "{\n  \"name\": \"é\",\n  \"version\": \"1\"\n  \"category\": \"c\"\n}\n"
        let missingComma = #expect(throws: ManifestError.self) { try ModuleManifest.parse(text, file: "m.json") }
        #expect(
            missingComma?.userMessage.hasPrefix("m.json: not valid JSON at line 4, column 3:") == true,
            "where an editor shows it, not a byte count: \(missingComma?.userMessage ?? "")")
    }

    @Test func missingRuntimeForNonPythonEntryPointIsExplained() {
        let text = #"{"name": "x", "version": "1.0.0", "category": "c", "entry_point": "server.js"}"#
        let e = #expect(throws: ManifestError.self) { try ModuleManifest.parse(text, file: "m.json") }
        #expect(e?.issues.first?.field == "runtime")
    }

    @Test func folderDigestIgnoresOnlyTheManifestDigestField() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let folder = Fixtures.moduleFolder(in: dir, name: "digest")
        let d1 = try ModuleFiles.digest(folder)
        let m = try ModuleManifest.load(folder: folder)
        try ModuleFiles.writeFile(folder + "/manifest.json", Array(m.json(withSHA256: d1).pretty().utf8), mode: 0o644)
        #expect(try ModuleFiles.digest(folder) == d1)
        dir.write("src-digest-1.0.0/adapter.py", "print('changed')\n")
        #expect(try ModuleFiles.digest(folder) != d1)
    }

    @Test func plantedPycDotfilesAndVersionsFoldersAllChangeTheDigest() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let folder = Fixtures.moduleFolder(in: dir, name: "every")
        let d1 = try ModuleFiles.digest(folder)
        for planted in ["__pycache__/adapter.cpython-311.pyc", ".hidden", "versions/v9/x.py", ".pytest_cache/x"] {
            if let slash = planted.firstIndex(of: "/") { _ = mkdir(folder + "/" + planted[..<slash], 0o755) }
            if planted.hasPrefix("versions/") { _ = mkdir(folder + "/versions/v9", 0o755) }
            dir.write("src-every-1.0.0/" + planted, "import os; os.system('id')")
            #expect(try ModuleFiles.digest(folder) != d1, "\(planted) was not hashed")
            ModuleFiles.removeTree(folder + "/" + String(planted.split(separator: "/")[0]))
            #expect(try ModuleFiles.digest(folder) == d1)
        }
        #expect(symlink("/etc/passwd", folder + "/link") == 0)
        #expect(try ModuleFiles.digest(folder) != d1)
    }
}
