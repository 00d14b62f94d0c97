import ArgumentParser
import NexusCore
import NexusPOSIX
import NexusREPL

// A closed stdout must end us quietly (EPIPE from write), not by SIGPIPE.
ProcessControl.ignoreBrokenPipe()
// A closed stdout must stay closed, not become whatever the process opens next (see OutputSink).
OutputSink.holdClosedStandardDescriptors()

/// Opens the existential so the async `run()` requirement is the one called.
func runAsync<C: AsyncParsableCommand>(_ command: inout C) async throws {
    try await command.run()
}

// `--version` answers before ArgumentParser builds its command tree (a measurable share of start-up).
if CommandLine.arguments.count == 2, CommandLine.arguments[1] == "--version" {
    Terminal.out(NexusCommand.version + "\n")
    Terminal.finish(0)
}

/// Parses, runs, and maps errors to DESIGN §4.1 exit codes: usage errors 2, user-facing errors their own code.
do {
    // Chatting is the common case: the usual chat arguments are read without ArgumentParser (see
    // ChatOptions); help, subcommands and anything unusual go through the root as before.
    if let options = ChatOptions.parseFast(Array(CommandLine.arguments.dropFirst())) {
        ProcessControl.exit(try await ChatSession.run(options))
    }
    var command = try NexusCommand.parseAsRoot(LeadingOptions.hoisted(Array(CommandLine.arguments.dropFirst())))
    if var asyncCommand = command as? any AsyncParsableCommand {
        try await runAsync(&asyncCommand)
    } else {
        try command.run()
    }
    Terminal.finish(0)
} catch let code as ExitCode {
    Terminal.finish(code.rawValue)
} catch let error as any UserFacingError {
    ProcessControl.exit(Terminal.report(error))
} catch {
    let code = NexusCommand.exitCode(for: error)
    if code == .success || code.rawValue == 0 {
        Terminal.out(NexusCommand.fullMessage(for: error) + "\n")
        Terminal.finish(0)
    }
    Terminal.err(NexusCommand.fullMessage(for: error) + "\n")
    ProcessControl.exit(code.rawValue == 64 ? ExitStatus.usage.rawValue : code.rawValue)
}
