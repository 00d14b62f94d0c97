import NexusCore
import NexusPOSIX
import NexusStore

/// One `modules install`, however it was typed: `nexus modules install ...` (its flags parsed by the
/// command-line parser) and `/modules install ...` (its words parsed by `parse`) both build the same
/// `Options` and turn them into a request here, so they accept the same things and say the same errors.
public struct InstallRequest: Sendable, Equatable {
    /// The words of the command as given, before any checking.
    public struct Options: Sendable, Equatable {
        public var source: String
        public var name: String?
        public var category = "mcp"
        public var version = "1.0.0"
        public var allow: [String] = []
        public var credentials: [String] = []
        public var read: [String] = []
        public var write: [String] = []
        public var env: [String] = []
        public var memoryMB: Int?
        public var cpuSeconds: Int?
        public var yes = false
        public var command: [String] = []
        public init(source: String) { self.source = source }
    }

    public var source: ModuleInstaller.Source
    public var settings: InstallSettings
    /// `--yes`: approved without asking.
    public var approved: Bool

    public static let usage = """
        usage: modules install PATH|mcp [--name NAME] [--category C] [--module-version V] [--allow HOST]... \
        [--credential ENV]... [--read PATH]... [--write PATH]... [--env NAME=VALUE]... [--memory MB] \
        [--cpu-seconds N] [--yes] [-- COMMAND...]
        """

    /// Checks `options`: `mcp` needs a name and a command; `--env` is NAME=VALUE with a name a module may
    /// set; `--read`/`--write` paths exist and are made absolute against `workingDirectory`.
    public init(_ o: Options, workingDirectory: String) throws(NexusError) {
        func usage(_ what: String) -> NexusError {
            NexusError("modules install: \(what)", hint: Self.usage, exit: .usage)
        }
        if o.source == "mcp" {
            guard let name = o.name, !name.isEmpty else { throw usage("`install mcp` needs --name NAME") }
            guard !o.command.isEmpty else { throw usage("`install mcp` needs the server command after --") }
            source = .mcpCommand(
                name: name, command: o.command, category: o.category, version: o.version, networkAllow: o.allow,
                credentialEnvs: o.credentials)
        } else {
            if !o.command.isEmpty { throw usage("a command after -- is only for `install mcp`") }
            if o.name != nil || !o.allow.isEmpty || !o.credentials.isEmpty {
                throw usage(
                    "--name, --allow and --credential are for `install mcp`; a folder's manifest.json says these")
            }
            source = .folder(Self.absolute(o.source, in: workingDirectory))
        }
        var settings = InstallSettings(memoryMB: o.memoryMB, cpuSeconds: o.cpuSeconds)
        if let m = o.memoryMB, !ManifestValidator.memoryRange.contains(m) {
            throw usage("--memory \(m): expected megabytes from 16 to 1048576")
        }
        if let c = o.cpuSeconds, !ManifestValidator.cpuRange.contains(c) {
            throw usage("--cpu-seconds \(c): expected seconds from 0 (none) to 604800")
        }
        for item in o.env {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw usage("--env \(item): expected NAME=VALUE")
            }
            let name = String(item[..<eq])
            guard ManifestValidator.isSettingName(name) else { throw usage("--env \(name): not a variable name") }
            if let p = ManifestValidator.reservedEnvProblem(name) { throw usage("--env \(name): \(p)") }
            settings.env.append((name, String(item[item.index(after: eq)...])))
        }
        for (flag, list) in [("--read", o.read), ("--write", o.write)] {
            for p in list {
                let full = Self.absolute(p, in: workingDirectory)
                guard let real = ModuleFiles.realPath(full), FileSystem.kind(of: real) != .other else {
                    throw usage("\(flag) \(p): does not exist (create it first; a grant is a folder or a file)")
                }
                if let problem = ManifestValidator.grantPathProblem(real) { throw usage("\(flag) \(p): \(problem)") }
                if flag == "--read" { settings.read.append(real) } else { settings.write.append(real) }
            }
        }
        self.settings = settings
        approved = o.yes
    }

    init(resolved source: ModuleInstaller.Source, settings: InstallSettings, approved: Bool) {
        self.source = source
        self.settings = settings
        self.approved = approved
    }

    public static func == (a: InstallRequest, b: InstallRequest) -> Bool {
        a.source == b.source && a.settings == b.settings && a.approved == b.approved
    }

    /// The words after `/modules install`: the same flags as the command line (`--flag value` or
    /// `--flag=value`), the server command after `--`.
    public static func parse(_ words: [String]) throws(NexusError) -> Options {
        func usage(_ what: String) -> NexusError {
            NexusError("modules install: \(what)", hint: Self.usage, exit: .usage)
        }
        var rest = ArraySlice(words)
        var source: String?
        var o = Options(source: "")
        while let word = rest.popFirst() {
            if word == "--" {
                o.command = Array(rest)
                break
            }
            guard word.hasPrefix("-") else {
                if source != nil { throw usage("unexpected \(JSONValue.string(word).serialized)") }
                source = word
                continue
            }
            if word == "--yes" || word == "-y" {
                o.yes = true
                continue
            }
            var flag = word
            var inline: String?
            if let eq = word.firstIndex(of: "=") {
                flag = String(word[..<eq])
                inline = String(word[word.index(after: eq)...])
            }
            guard let value = inline ?? rest.popFirst() else { throw usage("\(flag) needs a value") }
            func number() throws(NexusError) -> Int {
                guard let n = Int(value) else { throw usage("\(flag) \(value): expected a whole number") }
                return n
            }
            switch flag {
            case "--name": o.name = value
            case "--category": o.category = value
            case "--module-version": o.version = value
            case "--allow": o.allow.append(value)
            case "--credential": o.credentials.append(value)
            case "--read": o.read.append(value)
            case "--write": o.write.append(value)
            case "--env": o.env.append(value)
            case "--memory": o.memoryMB = try number()
            case "--cpu-seconds": o.cpuSeconds = try number()
            default: throw usage("unknown option \(flag)")
            }
        }
        guard let source else { throw usage("give a module folder, or `mcp` with --name and -- COMMAND") }
        o.source = source
        return o
    }

    static func absolute(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : (directory == "/" ? "" : directory) + "/" + path
    }
}
