import NexusTesting
import Testing

/// The `--help` snapshots (recorded in process by NexusCommandTests' `HelpSnapshots`) are what the built
/// binary prints at 80 columns, byte for byte: the in-process rendering cannot drift from the real one.
@Suite(.enabled(if: NexusBinary.exists, "build the binary first: swift build"))
struct HelpSnapshotsMatchTheBinary {
    @Test func everyHelpSnapshotIsWhatTheBinaryPrints() {
        // A recording run rewrites the snapshots in process, perhaps after this test read them: check next run.
        guard !TextSnapshots.isRecording else { return }
        let snapshots = TextSnapshots("help")
        let names = snapshots.storedNames()
        #expect(names.count > 20, "too few help snapshots in \(snapshots.relativeDirectory): \(names)")
        for name in names {
            let args = Array(name.split(separator: "_").dropFirst().map(String.init)) + ["--help"]
            let r = NexusBinary.run(args, env: ["COLUMNS": "80"])
            #expect(r.status == 0, "nexus \(args.joined(separator: " ")) exited \(r.status): \(r.stderr)")
            if let problem = snapshots.mismatch(r.stdout, named: name, recording: false) {
                Issue.record("nexus \(args.joined(separator: " ")): \(problem)")
            }
        }
    }
}
