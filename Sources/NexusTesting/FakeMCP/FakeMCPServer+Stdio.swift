import NexusCore
import NexusPOSIX
import Synchronization

extension FakeMCPServer {
    /// Reads newline-delimited messages from `fd` until end of input (the client closed stdin), handing each
    /// to `receive`. Blocks: call it on a thread of its own (or the main thread of `nexus-fake-mcp`).
    public func serve(input fd: Int32) {
        var pending: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = Descriptor.read(fd, into: &buf)
            if n <= 0 { break }
            pending += buf[0..<n]
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                receive(line: line)
            }
        }
        if !pending.isEmpty { receive(line: String(decoding: pending, as: UTF8.self)) }
        endOfInput()
    }

    /// Runs the server as a process over its own stdin and stdout (`nexus-fake-mcp`):
    /// `--script FILE` (JSON, see `FakeMCPScript`; a relative path is taken from the working directory) or
    /// `--script-json TEXT`. Without a script it offers one tool, `echo`. Returns the exit status when
    /// stdin ends (0), or 2 for bad arguments; a scripted crash exits at once with its status.
    public static func runFromCommandLine(args: [String], environment: [String: String]) -> Int32 {
        var script = FakeMCPScript(tools: [FakeMCPTool(name: "echo", answer: .echo(argument: "text"))])
        var i = 0
        while i < args.count {
            let value = i + 1 < args.count ? args[i + 1] : nil
            do {
                switch (args[i], value) {
                case ("--script", let path?):
                    let bytes = try readWhole(path)
                    script = try FakeMCPScript(json: String(decoding: bytes, as: UTF8.self))
                case ("--script-json", let text?): script = try FakeMCPScript(json: text)
                default:
                    return usage(
                        "unknown or incomplete argument '\(args[i])' (expected --script FILE, --script-json TEXT)")
                }
            } catch {
                return usage(error.userFacingDescription)
            }
            i += 2
        }
        let out = Mutex(())
        let wire = Wire(
            send: { line in out.withLock { _ in _ = Descriptor.writeAll(1, Array((line + "\n").utf8)) } },
            log: { line in _ = Descriptor.writeAll(2, Array((line + "\n").utf8)) },
            exit: { status in out.withLock { _ -> Void in ProcessControl.exitImmediately(status) } })
        wire.log("fake-mcp: serving \(script.tools.count) tools as \(script.serverName)")
        FakeMCPServer(script: script, environment: environment, wire: wire).serve(input: 0)
        return 0
    }

    private static func readWhole(_ path: String) throws -> [UInt8] {
        do { return try FileSystem.read(path) } catch {
            throw NexusError("cannot read script \(path): \(error.userFacingDescription)")
        }
    }

    private static func usage(_ message: String) -> Int32 {
        _ = Descriptor.writeAll(2, Array("nexus-fake-mcp: \(message)\n".utf8))
        return 2
    }
}
