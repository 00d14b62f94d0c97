import NexusCore
import NexusPOSIX
import NexusStore

/// The evolved template versions: `$NEXUS_HOME/templates/python-evolved/vN/`, each the version it grew from plus
/// lessons (`LESSONS.md`, one `- lesson` a line) with its provenance (`provenance.json`: parent, the base
/// template's VERSION, the rounds the lessons came from, the model, the trial's score and the decision). The
/// repository's `templates/python` stays the base (version 0, labelled with its VERSION); the adopted version is a
/// setting (`evolve.template.adopted`) and builds use it (`apply`), labelled `<VERSION>+e<N>`.
///
/// Folders are read back strictly: a LESSONS.md line that is not a lesson NEXUS would keep, or a provenance that is
/// not as written, is a one-line error naming the file (and line), never a crash and never a lesson let through.
public struct EvolvedTemplates: Sendable {
    public let root: String
    public let settings: SettingsRepository
    public static let adoptedKey = "evolve.template.adopted"
    /// Lessons a version carries at most (the newest are kept).
    public static let maxLessons = 20

    public init(home: String, db: Database) {
        root = home + "/templates/python-evolved"
        settings = SettingsRepository(db: db)
    }

    /// A trial's or a parent's result on the regression set.
    public struct Score: Sendable, Equatable {
        public var solved: Int
        public var total: Int
        public var repairs: Int
        public init(solved: Int, total: Int, repairs: Int) {
            self.solved = solved
            self.total = total
            self.repairs = repairs
        }
        /// At least as good as `parent` on the same set: more solved, or as many with no more repairs. A trial that
        /// solved nothing is no evidence (every round failing at the repair limit ties a parent that failed too).
        public func atLeastAsGood(as parent: Score) -> Bool {
            total == parent.total && total > 0 && solved > 0
                && (solved > parent.solved || (solved == parent.solved && repairs <= parent.repairs))
        }
        var json: JSONValue {
            .object(
                JSONObject([
                    ("solved", .number(Double(solved))), ("total", .number(Double(total))),
                    ("repairs", .number(Double(repairs))),
                ]))
        }
    }

    /// One version.
    public struct Version: Sendable, Equatable {
        public var number: Int
        public var parent: Int
        public var baseVersion: String
        public var lessons: [String]
        public var attempts: [Int64]
        public var model: String
        public var createdAt: Double
        public var trial: Score?
        public var parentScore: Score?
        /// `pending`, `adopted`, `rejected` or `interrupted` (the trial did not finish).
        public var decision: String
        public static let decisions: Set<String> = ["pending", "adopted", "rejected", "interrupted"]
    }

    public static func label(base: String, number: Int) -> String { number == 0 ? base : "\(base)+e\(number)" }

    func folder(_ n: Int) -> String { root + "/v\(n)" }

    /// The adopted version's number (0: the base).
    public func adopted() throws -> Int {
        guard let text = try settings.value(Self.adoptedKey) else { return 0 }
        guard let n = Int(text), n >= 0, n == 0 || FileSystem.kind(of: folder(n)) == .directory else {
            // Quoted as printable ASCII only: the setting is anyone's text, and the error goes to a terminal or a log.
            let shown = text.unicodeScalars.prefix(40).map { $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" }
            throw EvolvedTemplateError(
                path: "setting \(Self.adoptedKey)", line: nil,
                problem: "is \(String(shown)), not a version under \(root)")
        }
        return n
    }

    /// Every version, oldest first.
    public func list() throws -> [Version] {
        try numbers().map { try load($0) }
    }

    /// The numbers taken under the root (`vN`, whether or not the folder reads back), ascending.
    func numbers() -> [Int] {
        FileSystem.list(root).compactMap { name -> Int? in
            guard name.hasPrefix("v"), let n = Int(name.dropFirst()), n > 0, "v\(n)" == name else { return nil }
            return n
        }.sorted()
    }

    /// The base template with the adopted version's lessons and label.
    public func apply(to base: BuildTemplate) throws -> BuildTemplate {
        let n = try adopted()
        guard n > 0 else { return base }
        var t = base
        t.lessons = try load(n).lessons
        t.version = Self.label(base: base.version, number: n)
        return t
    }

    /// The base template with version `n`'s lessons (for a trial).
    public func template(_ n: Int, base: BuildTemplate) throws -> BuildTemplate {
        var t = base
        if n > 0 { t.lessons = try load(n).lessons }
        t.version = Self.label(base: base.version, number: n)
        return t
    }

    /// A new version grown from `parent` with `lessons` (already merged and sanitised). It is written in a folder of
    /// its own and renamed into place whole: a run killed while writing it (a second Ctrl-C exits at once) leaves no
    /// `vN` without its provenance, and a `vN` an earlier kill or a hand left broken only takes its number.
    public func create(parent: Int, baseVersion: String, lessons: [String], attempts: [Int64], model: String) throws
        -> Version
    {
        try FileSystem.ensureDirectory(root, mode: 0o700)
        let next = (numbers().max() ?? 0) + 1
        let v = Version(
            number: next, parent: parent, baseVersion: baseVersion, lessons: Array(lessons.suffix(Self.maxLessons)),
            attempts: attempts, model: model, createdAt: WallClock.now(), trial: nil, parentScore: nil,
            decision: "pending")
        let staging = root + "/.v\(next).new-\(ProcessControl.currentID)-\(MonotonicClock.nanoseconds())"
        try FileSystem.ensureDirectory(staging, mode: 0o700)
        do {
            let text =
                "# Lessons of template \(Self.label(base: baseVersion, number: next)) "
                + "(from \(Self.label(base: baseVersion, number: parent)))\n\n"
                + v.lessons.map { "- " + $0 }.joined(separator: "\n") + "\n"
            try FileSystem.writeAtomically(staging + "/LESSONS.md", text: text, mode: 0o600)
            try write(v, into: staging)
            // Never over a folder that is there (rename would replace an empty one).
            guard !FileSystem.exists(folder(next)), FileSystem.rename(staging, to: folder(next)) else {
                throw EvolvedTemplateError(
                    path: folder(next), line: nil, problem: "was made by another run while this one wrote it")
            }
        } catch {
            FileSystem.removeTree(staging)
            throw error
        }
        FileSystem.syncDirectory(root)
        return v
    }

    /// Rewrites a version's provenance (its trial, its decision).
    public func save(_ v: Version) throws { try write(v, into: folder(v.number)) }

    func write(_ v: Version, into dir: String) throws {
        var pairs: [(String, JSONValue)] = [
            ("number", .number(Double(v.number))), ("parent", .number(Double(v.parent))),
            ("base_version", .string(v.baseVersion)), ("attempts", .array(v.attempts.map { .number(Double($0)) })),
            ("model", .string(v.model)), ("created_at", .number(v.createdAt)), ("decision", .string(v.decision)),
        ]
        if let t = v.trial { pairs.append(("trial", t.json)) }
        if let p = v.parentScore { pairs.append(("parent_score", p.json)) }
        try FileSystem.writeAtomically(
            dir + "/provenance.json", text: JSONValue.object(JSONObject(pairs)).pretty() + "\n",
            mode: 0o600)
    }

    /// Why a version's file could not be read, in a few words.
    static func why(_ failure: DirectoryHandle.Failure) -> String {
        switch failure {
        // A link is ELOOP: "Too many levels of symbolic links".
        case .open(let code), .read(let code): return SystemError.text(code)
        case .notRegular: return "not a regular file"
        case .tooLarge(let limit): return "larger than \(limit) bytes"
        case .changedWhileRead: return "changed while read"
        }
    }

    public func adopt(_ n: Int) throws { try settings.setValue(Self.adoptedKey, String(n)) }

    /// Back to the adopted version's parent (`from` is the setting as it was); nil when the base is adopted.
    public func rollback() throws -> (from: String, to: Int)? {
        guard let text = try settings.value(Self.adoptedKey), text != "0" else { return nil }
        // A version (or setting) that does not read back goes to the base: its parent cannot be trusted.
        let parent = Int(text).flatMap { try? load($0).parent } ?? 0
        try adopt(parent)
        return (text, parent)
    }

    /// Reads version `n`, refusing what a hand edit may have broken.
    public func load(_ n: Int) throws(EvolvedTemplateError) -> Version {
        let dir = folder(n)
        let provenancePath = dir + "/provenance.json"
        func bad(_ path: String, _ line: Int?, _ problem: String) -> EvolvedTemplateError {
            EvolvedTemplateError(path: path, line: line, problem: problem)
        }
        // Not through a link (vN, LESSONS.md, provenance.json), never a FIFO that stalls the build, never more than
        // the limit: the version's own regular files or a one-line error.
        let handle: DirectoryHandle
        do {
            handle = try DirectoryHandle(in: try DirectoryHandle(path: root, followingLink: true), name: "v\(n)")
        } catch {
            throw bad(dir, nil, "is not a version folder (missing, or a symbolic link)")
        }
        func read(_ path: String, limit: Int) throws(EvolvedTemplateError) -> String {
            do {
                return String(
                    decoding: try handle.readRegularFile(String(path.split(separator: "/").last ?? ""), limit: limit),
                    as: UTF8.self)
            } catch {
                throw bad(path, nil, "cannot be read (\(Self.why(error)))")
            }
        }
        let json: JSONValue
        let provenanceText = try read(provenancePath, limit: 1 << 20)
        do { json = try JSONValue(parsing: provenanceText) } catch {
            throw bad(provenancePath, nil, "cannot be read as JSON")
        }
        func int(_ key: String) -> Int? { json[key]?.intValue }
        guard int("number") == n else { throw bad(provenancePath, nil, "\"number\" is not \(n)") }
        guard let parent = int("parent"), (0..<n).contains(parent) else {
            throw bad(provenancePath, nil, "\"parent\" is not a version before \(n)")
        }
        guard let base = json["base_version"]?.stringValue, !base.isEmpty, base.count <= 64,
            base.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-_".contains($0)) })
        else { throw bad(provenancePath, nil, "\"base_version\" is not a template version") }
        guard let decision = json["decision"]?.stringValue, Version.decisions.contains(decision) else {
            throw bad(
                provenancePath, nil, "\"decision\" is not one of \(Version.decisions.sorted().joined(separator: ", "))")
        }
        func score(_ key: String) throws(EvolvedTemplateError) -> Score? {
            guard let s = json[key] else { return nil }
            guard let solved = s["solved"]?.intValue, let total = s["total"]?.intValue,
                let repairs = s["repairs"]?.intValue, solved >= 0, total >= solved, repairs >= 0
            else { throw bad(provenancePath, nil, "\"\(key)\" is not a score") }
            return Score(solved: solved, total: total, repairs: repairs)
        }
        let lessonsPath = dir + "/LESSONS.md"
        let text = try read(lessonsPath, limit: 64 << 10)
        var lessons: [String] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let t = String(line)
            if t.isEmpty || t.hasPrefix("# ") { continue }
            guard t.hasPrefix("- ") else { throw bad(lessonsPath, i + 1, "is not a \"- lesson\" line") }
            let lesson = String(t.dropFirst(2))
            guard EvolveLesson.sanitise(lesson) == lesson else {
                let why = EvolveLesson.refusal(lesson) ?? "is not one line of plain text of at most 200 characters"
                throw bad(lessonsPath, i + 1, "is not a lesson NEXUS would keep (\(why))")
            }
            lessons.append(lesson)
        }
        guard lessons.count <= Self.maxLessons else {
            throw bad(lessonsPath, nil, "holds \(lessons.count) lessons, more than \(Self.maxLessons)")
        }
        return Version(
            number: n, parent: parent, baseVersion: base, lessons: lessons,
            attempts: (json["attempts"]?.arrayValue ?? []).compactMap { $0.intValue.map(Int64.init) },
            model: json["model"]?.stringValue ?? "", createdAt: json["created_at"]?.doubleValue ?? 0,
            trial: try score("trial"), parentScore: try score("parent_score"), decision: decision)
    }
}

/// An evolved template folder (or the setting naming the adopted one) that does not read back as NEXUS wrote it.
public struct EvolvedTemplateError: UserFacingError, Equatable {
    public var path: String
    public var line: Int?
    public var problem: String
    public var userMessage: String { path + (line.map { ":\($0)" } ?? "") + ": " + problem }
    public var hint: String? { "restore it, or go back to the version before: nexus evolve rollback" }
}
