/// A kind of work a model is asked to do; routing assigns each one a model or a fallback chain.
///
/// The built-ins come from the seed's LIDM; `[routing]` and `[tasks.NAME]` in nexus.toml may add more,
/// which is why this is an open string type rather than an enum.
public struct TaskType: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Task type names are lowercase letters, digits and `_`, as in `[tasks.NAME]`.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }

    public static let codeGeneration = TaskType("code_generation")
    public static let googleAPI = TaskType("google_api")
    public static let testValidation = TaskType("test_validation")
    public static let classification = TaskType("classification")
    public static let complexReasoning = TaskType("complex_reasoning")
    public static let simpleQuery = TaskType("simple_query")
    public static let buildModule = TaskType("build_module")

    public static let builtIn: [TaskType] = [
        .codeGeneration, .googleAPI, .testValidation, .classification, .complexReasoning, .simpleQuery, .buildModule,
    ]

    /// The tier a built-in task runs at unless configuration says otherwise.
    public var defaultTier: Tier {
        switch self {
        case .codeGeneration, .buildModule: .heavy
        case .complexReasoning: .ultra
        default: .standard
        }
    }

    public var description: String { rawValue }
    public static func < (a: TaskType, b: TaskType) -> Bool { a.rawValue < b.rawValue }
}

/// The seed's LIDM tiers: how much model a task deserves.
public enum Tier: String, Sendable, CaseIterable, Comparable {
    case standard, heavy, ultra
    var rank: Int {
        switch self {
        case .standard: 0
        case .heavy: 1
        case .ultra: 2
        }
    }
    public static func < (a: Tier, b: Tier) -> Bool { a.rank < b.rank }
}

/// `provider:model`, as written in `[routing]` and `/model`. The model part may itself hold colons
/// (`local:qwen2.5-coder:3b`), so only the first colon separates.
public struct ModelRef: Hashable, Sendable, CustomStringConvertible {
    public var provider: String
    public var model: String

    public init(provider: String, model: String) {
        self.provider = provider
        self.model = model
    }

    /// Nil for text without a provider and a model, or holding a space, a comma (route overrides are stored
    /// comma-joined, so one would split into a second, unchecked model), a control character (it reaches the
    /// terminal in notices) or more than 256 bytes.
    public init?(parsing text: String) {
        guard let colon = text.firstIndex(of: ":"), text.utf8.count <= 256,
            !text.unicodeScalars.contains(where: Self.isForbidden)
        else { return nil }
        let p = String(text[..<colon])
        let m = String(text[text.index(after: colon)...])
        guard !p.isEmpty, !m.isEmpty else { return nil }
        self.init(provider: p, model: m)
    }

    static func isForbidden(_ u: Unicode.Scalar) -> Bool {
        u == "," || u.properties.isWhitespace || u.value < 0x20 || (0x7F...0x9F).contains(u.value)
    }

    public var description: String { "\(provider):\(model)" }
}
