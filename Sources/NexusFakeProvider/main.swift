import NexusPOSIX
import NexusTesting

// `nexus-fake-provider`: the scripted fake model server (all four wire protocols) out of process, for
// end-to-end tests that drive the TUI under tmux. A test-support executable, so the shipped `nexus`
// never links NexusTesting: `nexus-fake-provider --protocol openai --script FILE [--port N]`.
ProcessControl.exit(FakeProviderServer.runFromCommandLine(args: Array(CommandLine.arguments.dropFirst())))
