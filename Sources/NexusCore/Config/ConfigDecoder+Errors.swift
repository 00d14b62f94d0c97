/// A configuration that cannot be used: `FILE:LINE: key.path: expected ...`, exit 2.
///
/// One type for every way nexus.toml (or a config environment variable) can be wrong, so the
/// composition root prints one line and exits 2 whatever the cause: syntax, type, value, a routing
/// entry naming an unknown provider, or a config path that is a directory.
public struct ConfigError: UserFacingError, Equatable, CustomStringConvertible {
    /// The file (as named by the user or the default path), or the environment variable at fault.
    public var file: String
    public var line: Int?
    /// The dotted key path (`routing.code_generation`), when one key is at fault.
    public var key: String?
    public var message: String
    public var hint: String?

    public init(file: String, line: Int?, key: String?, message: String, hint: String? = nil) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
        self.hint = hint
    }

    public var userMessage: String {
        var parts = [line.map { "\(file):\($0)" } ?? file]
        if let key { parts.append(key) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }

    public var exitCode: ExitStatus { .usage }
    public var description: String { userMessage }

    /// A TOML syntax error, placed in its file.
    public init(file: String, _ error: TOMLError) {
        self.init(
            file: file, line: error.line, key: nil, message: error.message,
            hint: "nexus.toml is TOML 1.0; see nexus.toml.example")
    }
}

/// Something in the config that is ignored but probably a mistake, shown once at start-up:
/// `nexus.toml:7: unknown key providers.local.bse_url (did you mean base_url?)`.
public struct ConfigWarning: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}
