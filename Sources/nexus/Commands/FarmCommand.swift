import ArgumentParser
import NexusCore
import NexusEvolution
import NexusModules
import NexusPOSIX
import NexusStore

/// `nexus farm list|serve`: the challenge farm of issue 15, local API servers to prove generated modules
/// against. Each scenario is `farm/<name>/{server.py,openapi.yaml,acceptance.json}`; servers are Python's
/// standard http.server (the modules' own language, no dependency), listen on 127.0.0.1 only and log
/// each request as a JSON line on stdout.
struct FarmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "farm", abstract: "Local API servers (the challenge farm) to prove generated modules against.",
        subcommands: [List.self, Serve.self])

    /// The farm folder: NEXUS_FARM, else `farm/` beside the built-in modules (the repository).
    static func locate(_ env: [String: String]) -> String? { FarmScenarios.locate(env) }

    static func scenarios(_ dir: String) -> [String] { FarmScenarios.scenarios(dir) }

    static func farmDirectory() throws -> String {
        guard let dir = locate(ProcessEnvironment.current) else {
            throw NexusError(
                "the farm was not found", hint: "run nexus from its repository, or set NEXUS_FARM to its farm folder")
        }
        return dir
    }

    static func describe(_ dir: String, _ name: String) -> (summary: String, port: String) {
        FarmScenarios.describe(dir, name)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The farm's scenarios, their ports and what they test.")

        func run() throws {
            let dir = try FarmCommand.farmDirectory()
            for name in FarmCommand.scenarios(dir) {
                let d = FarmCommand.describe(dir, name)
                print("\(name.padded(to: 26)) 127.0.0.1:\(d.port.padded(to: 5)) \(d.summary)")
            }
        }
    }

    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve one scenario on 127.0.0.1 until interrupted; each request is logged as a JSON line.")

        @Argument(help: "The scenario (see nexus farm list).") var scenario: String
        @Option(help: "The port (default: the one its openapi.yaml names).") var port: Int?
        @Option(help: "The seed of its random failures and data.") var seed: Int = 1

        func run() throws {
            let dir = try FarmCommand.farmDirectory()
            guard FarmCommand.scenarios(dir).contains(scenario) else {
                throw NexusError(
                    "no farm scenario \(scenario)",
                    hint: "choose one of: \(FarmCommand.scenarios(dir).joined(separator: ", "))",
                    exit: .usage)
            }
            if let port, !(1...65535).contains(port) {
                throw NexusError("--port \(port): not a port", hint: "give a number from 1 to 65535", exit: .usage)
            }
            // Bound already (another `farm serve`, or a test's server): said here, not as the server's traceback.
            let listening = port ?? Int(FarmCommand.describe(dir, scenario).port) ?? 0
            if listening > 0 && TCPProbe.isListening(host: "127.0.0.1", port: listening) {
                throw NexusError(
                    "farm: 127.0.0.1:\(listening) is already in use (another nexus farm serve \(scenario)?)",
                    hint: "use the server that listens there, stop it, or serve on another port: --port N")
            }
            let credentials = FarmScenarios.credentials(dir, scenario)
            if !credentials.isEmpty {
                // What the server accepts, so a build can be given it (`--credential NAME=@FILE`).
                let pairs = credentials.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
                Terminal.err("farm: it accepts the credentials \(pairs) (nexus build ... --credential NAME=@FILE)\n")
            }
            var argv = ["python3", "-B", dir + "/" + scenario + "/server.py", "--seed", String(seed)]
            if let port { argv += ["--port", String(port)] }
            // The server takes this process's place: a SIGTERM to the pid a script started ends the server, where a
            // child would be left holding the port.
            do { try ChildProcess.replaceProcess(with: argv) } catch {
                throw NexusError(
                    "cannot start the farm server: \(error.userFacingDescription)", hint: "is python3 on PATH?")
            }
        }
    }
}
