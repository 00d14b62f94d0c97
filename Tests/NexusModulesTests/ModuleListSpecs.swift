import NexusCore
import NexusTesting
import Testing

@testable import NexusModules

/// `modules list` keeps each module's last error on one line under its row: a long or multi-line one ends in "…",
/// and the list says where it is whole.
@Suite struct ModuleListSpecs {
    @Test func aLongLastErrorEndsInAnEllipsisAndTheListSaysWhereItIsWhole() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.install("noisy")
        let long =
            "module noisy: credential \"api_key\" (for NOISY_API_KEY) is not in the vault; set it first"
            + String(repeating: " and then some", count: 10)
        try f.registry.setHealth("noisy", .failing, lastError: long)
        let list = await ModuleCommands(host: f.host, installer: f.installer).list()
        let lines = list.split(separator: "\n").map(String.init)
        let row = try #require(lines.firstIndex { $0.hasPrefix("noisy ") })
        #expect(lines[row + 1] == "    last error: " + String(long.prefix(159)) + "…", "\(lines[row + 1])")
        #expect(list.contains("(a last error cut short is whole in: nexus modules info NAME)"), "\(list)")
    }
}
