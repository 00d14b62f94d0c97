import NexusTesting

#if canImport(Glibc)
    import Glibc
#endif

// `nexus-fake-mcp`: the scripted fake MCP server (JSON-RPC over stdio) out of process, for module tests and
// for end-to-end specifications that install it as a module. A test-support executable, never linked into
// `nexus`: `nexus-fake-mcp --script FILE` (see `FakeMCPScript`).
var environment: [String: String] = [:]
var entry = environ
while let pointer = entry.pointee {
    let pair = String(cString: pointer)
    if let eq = pair.firstIndex(of: "=") { environment[String(pair[..<eq])] = String(pair[pair.index(after: eq)...]) }
    entry += 1
}
exit(FakeMCPServer.runFromCommandLine(args: Array(CommandLine.arguments.dropFirst()), environment: environment))
