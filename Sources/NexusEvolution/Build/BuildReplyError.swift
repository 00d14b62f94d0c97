import NexusCore

/// Why one attempt's model reply was refused before any file was written. Each is an attempt failure
/// (category `output`), shown to the user and, on a repair, to the model.
public enum BuildReplyError: UserFacingError, Equatable {
    case noJSON(excerpt: String)
    case notAFileSet(String)
    case empty
    case tooLarge(bytes: Int)
    case tooManyFiles(Int)
    case fileTooLarge(path: String, bytes: Int)
    case badPath(path: String, reason: String)

    public var userMessage: String {
        switch self {
        case .noJSON(let excerpt):
            "the model's reply is not a JSON file set (it begins: \(JSONValue.string(excerpt).serialized))"
        case .notAFileSet(let why): "the model's reply is not a file set: \(why)"
        case .empty: "the model's reply has no files"
        case .tooLarge(let n):
            "the model's reply is over \(BuildFileSet.Limits.replyBytes >> 20) MB (\(n) bytes read); it was cut off"
        case .tooManyFiles(let n): "the model's reply has \(n) files; at most \(BuildFileSet.Limits.files) are accepted"
        case .fileTooLarge(let p, let n):
            "file \(JSONValue.string(p).serialized) is \(n) bytes; at most \(BuildFileSet.Limits.fileBytes) per file"
        case .badPath(let p, let reason): "file path \(JSONValue.string(p).serialized) refused: \(reason)"
        }
    }

    public var hint: String? {
        "the reply must be one JSON object {\"files\":[{\"path\":...,\"content\":...}],\"notes\":...} with "
            + "relative paths inside the module folder"
    }
}
