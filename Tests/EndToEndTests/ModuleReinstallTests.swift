import NexusTesting
import Testing

/// Installing the files a module already has is a reinstall: said so, and no step for a rollback.
@Suite(.serialized) struct ModuleReinstallEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-reinstall")

    var env: [String: String] {
        [
            "NEXUS_HOME": dir.path + "/home", "NO_COLOR": "1",
            "MODULE_ENCRYPTION_KEY": String(repeating: "ef", count: 32),
        ]
    }

    func install(marker: String) -> Subprocess.Result {
        NexusBinary.run(
            ["modules", "install", ModuleFixture.echo(in: dir, marker: marker), "--yes"], env: env, timeout: 90)
    }

    @Test func reinstallingTheSameFilesSaysReinstalledAndRollbackFindsNoEarlierVersion() throws {
        try #require(NexusBinary.exists)
        try #require(install(marker: "first").status == 0)
        let again = install(marker: "first")
        #expect(again.status == 0, "stderr: \(again.stderr)")
        #expect(again.stdout.contains("reinstalled echo 1.0.0"), "\(again.stdout)")
        #expect(again.stdout.contains("the same files as before") && !again.stdout.contains("upgraded"))
        let rollback = NexusBinary.run(["modules", "rollback", "echo"], env: env)
        #expect(rollback.status != 0, "a rollback to the same files is no rollback: \(rollback.stdout)")
        #expect(rollback.stderr.contains("no earlier approved version"), "\(rollback.stderr)")
        let changed = install(marker: "second")
        #expect(changed.stdout.contains("upgraded echo 1.0.0"), "\(changed.stdout)")
        let back = NexusBinary.run(["modules", "rollback", "echo"], env: env)
        #expect(back.status == 0 && back.stdout.contains("rolled echo back"), "\(back.stderr)")
    }

    @Test func infoListsToolsInAColumnEachDescriptionStartingAtTheSamePlace() throws {
        try #require(NexusBinary.exists)
        try #require(install(marker: "first").status == 0)
        let info = NexusBinary.run(["modules", "info", "echo"], env: env).stdout
        let rows = info.split(separator: "\n").filter { $0.hasPrefix("  echo__") }
        try #require(rows.count == 2, "\(info)")
        let starts = rows.compactMap { row in
            row.firstRange(of: "Says").map { row.distance(from: row.startIndex, to: $0.lowerBound) }
        }
        #expect(starts.count == 2 && starts[0] == starts[1], "\(rows)")
        // A description's second paragraph continues under the first, not at the left margin.
        let lines = info.split(separator: "\n", omittingEmptySubsequences: false)
        let second = lines.first { $0.contains("A second paragraph") } ?? ""
        #expect(second.hasPrefix(String(repeating: " ", count: starts.first ?? 0) + "A second"), "\(info)")
        #expect(!lines.dropLast().contains { $0.isEmpty }, "no blank line inside the listing: \(info)")
    }
}
