import ArgumentParser
import NexusTesting
import Testing

@testable import nexus

/// The `--help` of every subcommand, as a person at an 80-column terminal reads it, is kept in
/// testdata/snapshots/help/ (`nexus_modules_install.txt` for `nexus modules install --help`), so a change to
/// any flag, default or wording shows in review. Re-record: `NEXUS_RECORD_SNAPSHOTS=1 swift test --filter Snapshot`.
@Suite struct HelpSnapshots {
    static let snapshots = TextSnapshots("help")

    /// Every command a person can name, found from the command tree itself (hidden ones left out), so a new
    /// subcommand without a snapshot fails until it is recorded.
    static let commandPaths: [[String]] = paths(NexusCommand.self, [])

    static func paths(_ command: any ParsableCommand.Type, _ prefix: [String]) -> [[String]] {
        var all = [prefix]
        for sub in command.configuration.subcommands where sub.configuration.shouldDisplay {
            all += paths(sub, prefix + [sub._commandName])
        }
        return all
    }

    /// `nexus_modules_install` for `nexus modules install` (`_`: command names may hold `-`, as `rotate-key`).
    static func snapshotName(_ path: [String]) -> String { (["nexus"] + path).joined(separator: "_") }

    /// What `nexus PATH --help` prints: the same parse, run and message as main.swift (which adds a line
    /// end), at 80 columns. `--help` parses to ArgumentParser's help command, whose run throws the help
    /// request; a command that passes its arguments through (`sandbox exec`) is parsed instead and throws
    /// the help request for itself in its run, which is its own help. `HelpSnapshotsMatchTheBinary` (end
    /// to end) holds these to what the built binary prints.
    static func help(_ path: [String]) -> String {
        do {
            var command = try NexusCommand.parseAsRoot(path + ["--help"])
            guard String(describing: type(of: command)) == "HelpCommand" else {
                return NexusCommand.helpMessage(for: type(of: command), columns: 80) + "\n"
            }
            try command.run()
            return "(the help command printed nothing)\n"
        } catch {
            return NexusCommand.fullMessage(for: error, columns: 80) + "\n"
        }
    }

    @Test(arguments: commandPaths)
    func helpMatchesItsSnapshot(_ path: [String]) {
        if let problem = Self.snapshots.mismatch(Self.help(path), named: Self.snapshotName(path)) {
            Issue.record("nexus \(path.joined(separator: " ")) --help: \(problem)")
        }
    }

    @Test func everyHelpSnapshotBelongsToACommandThatExists() {
        guard !TextSnapshots.isRecording else { return }
        let expected = Set(Self.commandPaths.map(Self.snapshotName))
        let stale = Self.snapshots.storedNames().filter { !expected.contains($0) }
        #expect(stale.isEmpty, "snapshots for commands that no longer exist (delete them): \(stale)")
        #expect(Self.commandPaths.count > 20, "the walk found too few commands: \(Self.commandPaths)")
    }
}
