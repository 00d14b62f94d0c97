import NexusTelemetry
import Testing

/// `nexus bench` times real processes: to exit, and to the first appearance of a prompt on a terminal.
@Suite struct ProcessTimerSpecs {
    let env = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]

    @Test func timeToExitMeasuresAShortProcess() throws {
        let ms = try #require(ProcessTimer.timeToExit(["true"], environment: env))
        #expect(ms > 0 && ms < 5_000)
        let longer = try #require(ProcessTimer.timeToExit(["sleep", "0.2"], environment: env))
        #expect(longer >= 200)
    }

    @Test func aProgramThatCannotStartIsNilNotAZero() {
        #expect(ProcessTimer.timeToExit(["/nonexistent/program"], environment: env) == nil)
    }

    @Test func timeToOutputWaitsForTheMarkerOnATerminal() throws {
        // The marker appears only when stdin is a terminal, as nexus's prompt does.
        let script = "sleep 0.1; test -t 0 && printf 'READY> '; read line"
        let ms = try #require(
            ProcessTimer.timeToOutput(["sh", "-c", script], environment: env, marker: "READY> ", quit: "\n"))
        #expect(ms >= 100 && ms < 5_000)
    }

    @Test func aMarkerThatNeverAppearsTimesOut() {
        let ms = ProcessTimer.timeToOutput(
            ["sh", "-c", "echo nothing; sleep 5"], environment: env, marker: "READY> ", timeout: 0.3)
        #expect(ms == nil)
    }

    @Test func whichFindsTheFirstExecutableOnThePath() {
        #expect(ProcessTimer.which("sh", path: "/nonexistent:/bin:/usr/bin") == "/bin/sh")
        #expect(ProcessTimer.which("no-such-program-xyz", path: "/bin:/usr/bin") == nil)
    }
}
