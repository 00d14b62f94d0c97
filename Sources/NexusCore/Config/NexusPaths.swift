/// Where NEXUS keeps things, resolved from flags and the environment (DESIGN §4.1).
///
/// Pure: it takes the environment as a dictionary, so tests and the composition root agree.
public struct NexusPaths: Sendable, Equatable {
    /// All state: database, vault, installed modules, logs.
    public var home: String
    /// The config file path, whether or not it exists.
    public var configFile: String
    /// Whether the config file was named explicitly (a missing explicit file is an error; a missing default is not).
    public var configIsExplicit: Bool
    /// Directory holding the config file (vault key file lives here too).
    public var configDir: String

    public var database: String { home + "/nexus.db" }
    public var logs: String { home + "/logs" }
    public var modules: String { home + "/modules" }
    public var replHistory: String { home + "/repl_history" }

    public init(home: String, configFile: String, configIsExplicit: Bool) {
        self.home = home
        self.configFile = configFile
        self.configIsExplicit = configIsExplicit
        if let slash = configFile.lastIndex(of: "/") {
            self.configDir = slash == configFile.startIndex ? "/" : String(configFile[..<slash])
        } else {
            self.configDir = "."
        }
    }

    /// `--home` / `NEXUS_HOME` / `$XDG_DATA_HOME/nexus` / `~/.local/share/nexus`, and
    /// `--config` / `NEXUS_CONFIG` / `$XDG_CONFIG_HOME/nexus/nexus.toml` / `~/.config/nexus/nexus.toml`.
    /// With `workingDirectory`, a relative path is anchored there: every module start passes the home and
    /// config to the jailer, which runs in another directory (`--config ./nexus.toml` stopped every module
    /// with "no such file").
    public static func resolve(
        homeFlag: String?, configFlag: String?, environment env: [String: String], workingDirectory: String? = nil
    ) -> NexusPaths {
        let paths = resolveAsGiven(homeFlag: homeFlag, configFlag: configFlag, environment: env)
        guard let cwd = workingDirectory, cwd.hasPrefix("/") else { return paths }
        func anchored(_ p: String) -> String {
            if p.hasPrefix("/") { return p }
            var rest = Substring(p)
            while rest.hasPrefix("./") { rest = rest.dropFirst(2) }
            let base = cwd.hasSuffix("/") ? String(cwd.dropLast()) : cwd
            return rest.isEmpty || rest == "." ? base : base + "/" + rest
        }
        return NexusPaths(
            home: anchored(paths.home), configFile: anchored(paths.configFile),
            configIsExplicit: paths.configIsExplicit)
    }

    static func resolveAsGiven(homeFlag: String?, configFlag: String?, environment env: [String: String])
        -> NexusPaths
    {
        let userHome = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/root"
        let home: String
        if let h = homeFlag ?? nonEmpty(env["NEXUS_HOME"]) {
            home = h
        } else if let x = nonEmpty(env["XDG_DATA_HOME"]) {
            home = x + "/nexus"
        } else {
            home = userHome + "/.local/share/nexus"
        }
        let explicit = configFlag ?? nonEmpty(env["NEXUS_CONFIG"])
        let config: String
        if let explicit {
            config = explicit
        } else if let x = nonEmpty(env["XDG_CONFIG_HOME"]) {
            config = x + "/nexus/nexus.toml"
        } else {
            config = userHome + "/.config/nexus/nexus.toml"
        }
        return NexusPaths(home: stripTrailingSlash(home), configFile: config, configIsExplicit: explicit != nil)
    }

    private static func nonEmpty(_ s: String?) -> String? { (s?.isEmpty ?? true) ? nil : s }
    private static func stripTrailingSlash(_ s: String) -> String {
        var s = s
        while s.count > 1, s.hasSuffix("/") { s.removeLast() }
        return s
    }
}
