import NexusCore
import NexusTesting
import Testing

@testable import NexusModules

/// `modules list` keeps each module on one line: a long or multi-line last error ends in "…", and the list
/// says where it is whole.
@Suite struct ModuleListSpecs {
    @Test func aLongLastErrorEndsInAnEllipsisAndTheListSaysWhereItIsWhole() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.install("noisy")
        let long = "module noisy: credential \"api_key\" (for NOISY_API_KEY) is not in the vault; set it first"
        try f.registry.setHealth("noisy", .failing, lastError: long)
        let list = await ModuleCommands(host: f.host, installer: f.installer).list()
        let row = list.split(separator: "\n").first { $0.hasPrefix("noisy ") } ?? ""
        #expect(row.hasSuffix(String(long.prefix(59)) + "…"), "\(row)")
        #expect(list.contains("(a last error cut short is whole in: nexus modules info NAME)"), "\(list)")
    }
}
