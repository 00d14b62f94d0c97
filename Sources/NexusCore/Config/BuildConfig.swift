/// `[build]`: how hard a module build tries before it gives up (issue 14, DESIGN §7).
///
/// Kept apart from `[modules]` because it governs generation (model calls and gate runs), not the
/// modules already installed.
public struct BuildConfig: Sendable, Equatable {
    /// Repair attempts after the first generation (each one a model call on `test_validation`).
    public var maxRepairs = 3
    public init() {}
}

extension ConfigDecoder {
    static let buildKeys = ["max_repairs"]

    mutating func decodeBuild(_ v: TOMLValue) throws(ConfigError) {
        let t = try table(v, "build")
        warnUnknownKeys(in: t, path: "build", known: Self.buildKeys)
        if let x = t["max_repairs"] { config.build.maxRepairs = try int(x, "build.max_repairs", in: 0...10) }
    }
}
