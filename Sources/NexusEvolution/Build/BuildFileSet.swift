import NexusCore

/// One file of a generated module, as the model sent it: a path inside the module folder and its text.
public struct BuildFile: Sendable, Equatable {
    public var path: String
    public var content: String

    public init(path: String, content: String) {
        self.path = path
        self.content = content
    }
}

/// The whole file set of one build attempt (the build protocol's reply, DESIGN "Build protocol"), sorted by
/// path so attempts diff and hash the same way whatever order the model wrote them in.
public struct BuildFileSet: Sendable, Equatable {
    public var files: [BuildFile]
    public var notes: String

    public init(files: [BuildFile], notes: String = "") {
        self.files = files.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
        self.notes = notes
    }

    public func file(_ path: String) -> BuildFile? { files.first { $0.path == path } }

    /// The reply form, for repair requests: `{"files":[{"path","content"}...]}`.
    public var json: JSONValue {
        .object(
            JSONObject([
                (
                    "files",
                    .array(
                        files.map {
                            .object(JSONObject([("path", .string($0.path)), ("content", .string($0.content))]))
                        })
                )
            ]))
    }

    /// The bounds the build protocol holds every reply to.
    public enum Limits {
        /// A reply larger than this is cut off while it streams in and refused.
        public static let replyBytes = 10 << 20
        public static let fileBytes = 256 << 10
        public static let files = 50
        public static let pathBytes = 200
    }
}
