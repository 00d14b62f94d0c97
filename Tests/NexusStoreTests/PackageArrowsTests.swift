import NexusCore
import NexusPOSIX
import Testing

/// The arrows Package.swift declares are the arrows the code has (DESIGN §3): every `import` of one of our
/// targets is declared, and every declared dependency on one of our targets is imported somewhere. An
/// undeclared import still builds when the module comes in transitively, and a declared but unused one
/// hides a wrong arrow: neither shows up any other way.
@Suite struct PackageArrowsTests {
    static let root: String = {
        var r = #filePath
        for _ in 0..<3 { r = String(r[..<(r.lastIndex(of: "/") ?? r.startIndex)]) }
        return r
    }()

    /// Target name → the dependencies it declares that are targets of this package (not products, not C shims).
    static func declared() throws -> [String: Set<String>] {
        let text = try FileSystem.readText(root + "/Package.swift")
        var out: [String: Set<String>] = [:]
        let pieces =
            text.split(separator: ".target(").dropFirst() + text.split(separator: ".executableTarget(").dropFirst()
        for piece in pieces.map(String.init) {
            guard let name = quoted(after: "name:", in: piece) else { continue }
            var deps: Set<String> = []
            if let open = piece.firstRange(of: "dependencies: [") {
                let rest = piece[open.upperBound...]
                let list = rest.prefix { $0 != "]" }
                deps = Set(list.split(separator: ",").compactMap { quotedWord(String($0)) })
            }
            out[name] = deps.filter { $0.hasPrefix("Nexus") }
        }
        return out
    }

    static func quoted(after key: String, in s: String) -> String? {
        guard let r = s.firstRange(of: key) else { return nil }
        return quotedWord(String(s[r.upperBound...].prefix(80)))
    }

    static func quotedWord(_ s: String) -> String? {
        let t = s.trimmingSpaces
        guard t.hasPrefix("\""), let end = t.dropFirst().firstIndex(of: "\"") else { return nil }
        return String(t[t.index(after: t.startIndex)..<end])
    }

    /// The targets of ours that the Swift files under `dir` import.
    static func imports(_ dir: String) -> Set<String> {
        var out: Set<String> = []
        for entry in FileSystem.list(dir) {
            let path = dir + "/" + entry
            switch FileSystem.kind(of: path) {
            case .directory: out.formUnion(imports(path))
            case .file where entry.hasSuffix(".swift"):
                for line in ((try? FileSystem.readText(path)) ?? "").split(separator: "\n") {
                    let l = line.trimmingSpaces
                    for prefix in ["import ", "@testable import "] where l.hasPrefix(prefix + "Nexus") {
                        out.insert(String(l.dropFirst(prefix.count)))
                    }
                }
            default: continue
            }
        }
        return out
    }

    @Test func everyImportOfOurTargetsIsDeclaredAndEveryDeclaredOneIsUsed() throws {
        let declared = try Self.declared()
        #expect(declared["NexusModules"] != nil && declared["nexus"] != nil, "Package.swift was read")
        for (target, deps) in declared.sorted(by: { $0.key < $1.key }) {
            let dir = Self.root + "/Sources/" + target
            guard FileSystem.kind(of: dir) == .directory else { continue }
            let used = Self.imports(dir).subtracting([target])
            #expect(used.subtracting(deps).isEmpty, "\(target) imports undeclared \(used.subtracting(deps).sorted())")
            #expect(deps.subtracting(used).isEmpty, "\(target) declares unused \(deps.subtracting(used).sorted())")
        }
    }

    @Test func modulesDoNotReachIntoTheSandbox() throws {
        #expect(try Self.declared()["NexusModules"]?.contains("NexusSandbox") == false)
        #expect(!Self.imports(Self.root + "/Sources/NexusModules").contains("NexusSandbox"))
    }

    /// Target name → whether its declaration names the hummingbird package.
    static func linksHummingbird() throws -> [String: Bool] {
        let text = try FileSystem.readText(root + "/Package.swift")
        var out: [String: Bool] = [:]
        let pieces =
            text.split(separator: ".target(").dropFirst() + text.split(separator: ".executableTarget(").dropFirst()
        for piece in pieces.map(String.init) {
            guard let name = quoted(after: "name:", in: piece) else { continue }
            // Its own declaration: up to its settings (every Swift target names them), or the whole piece.
            let own = piece.firstRange(of: "swiftSettings").map { piece[..<$0.lowerBound] } ?? Substring(piece)
            out[name] = own.contains("package: \"hummingbird\"")
        }
        return out
    }

    @Test func theChatBinaryLinksNoHTTPServerOnlyTheAdminFrontDoes() throws {
        // Hummingbird and SwiftNIO doubled `nexus` (45 → 87 MB) and slowed every start; they belong to the
        // `nexus-admin` front alone (issue 16).
        let declared = try Self.declared()
        let hummingbird = try Self.linksHummingbird()
        #expect(hummingbird["NexusAdminHTTP"] == true, "the front is declared with Hummingbird")
        var seen: Set<String> = []
        var queue = ["nexus"]
        while let t = queue.popLast() {
            guard seen.insert(t).inserted else { continue }
            queue += declared[t, default: []]
        }
        #expect(seen.contains("NexusServer") && !seen.contains("NexusAdminHTTP"))
        for t in seen.sorted() { #expect(hummingbird[t] != true, "\(t), linked into nexus, depends on Hummingbird") }
    }
}
