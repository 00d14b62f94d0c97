import NexusPOSIX
import NexusTesting

// `nexus-fake-mcp`: the scripted fake MCP server (JSON-RPC over stdio) out of process, for module tests and
// for end-to-end specifications that install it as a module. A test-support executable, never linked into
// `nexus`: `nexus-fake-mcp --script FILE` (see `FakeMCPScript`).
ProcessControl.exit(
    FakeMCPServer.runFromCommandLine(args: Array(CommandLine.arguments.dropFirst()), environment: Environment.all))
