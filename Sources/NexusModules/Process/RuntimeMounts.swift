import NexusCore
import NexusPOSIX
import NexusStore

/// What a module's program needs visible inside the jail, found on the host before it starts.
///
/// pyenv, uv, pipx and venvs put interpreters outside the system directories, often under the home
/// directory, and a venv's `bin/python` is only a symbolic link to its base interpreter. So the launcher
/// follows the program (`/opt/venv/bin/python` → `~/.pyenv/versions/3.11.7/bin/python3.11`), reads a
/// venv's `pyvenv.cfg` (`home = ...`) and a script's `#!` line, and mounts each prefix read-only: the
/// venv AND the base interpreter's prefix. The home directory itself is never one of them (see
/// `ProtectedPaths`).
public struct RuntimeMounts: Sendable, Equatable {
    /// Real, symlink-free host directories to mount read-only at the same path.
    public var readOnly: [String] = []
    /// The program's own `bin` directory (a venv's), put first on PATH so it can run what it installed.
    public var binDirectory: String?
    /// The program as it must be named inside the jail (its prefix's real path), when that differs.
    public var program: String?

    static let system = ["/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc"]

    /// Finds the mounts for `program` (`command[0]`). A bare name is looked up on the jail's PATH
    /// (system directories) and needs nothing.
    public static func resolve(program: String) -> RuntimeMounts {
        var m = RuntimeMounts()
        guard program.hasPrefix("/") else { return m }
        m.add(program: program, depth: 0)
        return m
    }

    static func isSystem(_ path: String) -> Bool {
        system.contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    private mutating func add(program: String, depth: Int) {
        let dir = Self.parent(program)
        let name = String(program[program.index(after: program.lastIndex(of: "/") ?? program.startIndex)...])
        if !Self.isSystem(program) {
            if dir.hasSuffix("/bin"), dir != "/bin" {
                let prefix = Self.parent(dir)
                let real = ModuleFiles.realPath(prefix) ?? prefix
                if depth == 0 {
                    binDirectory = real + "/bin"
                    if real != prefix { self.program = real + "/bin/" + name }
                }
                mount(real)
                addVenvBase(real)
            } else {
                mount(ModuleFiles.realPath(dir) ?? dir)
            }
        }
        // The file itself may be a link into another prefix (a venv's python into pyenv's).
        if let real = ModuleFiles.realPath(program), !Self.isSystem(real) {
            let realDir = Self.parent(real)
            mount(realDir.hasSuffix("/bin") && realDir != "/bin" ? Self.parent(realDir) : realDir)
        }
        // A script names its interpreter on its first line (a console script → the venv's python).
        if depth == 0, let interpreter = Self.shebang(program), interpreter != program {
            add(program: interpreter, depth: 1)
        }
    }

    /// `pyvenv.cfg`'s `home = /x/bin` → mounts `/x` (the base interpreter's prefix).
    private mutating func addVenvBase(_ prefix: String) {
        // No pyvenv.cfg (not a venv) or an unreadable one: nothing more to mount.
        guard let text = try? FileSystem.readText(prefix + "/pyvenv.cfg", limit: 64 << 10) else { return }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: " \t") == "home" else { continue }
            let home = String(parts[1].trimmingCharacters(in: " \t\r"))
            guard home.hasPrefix("/") else { continue }
            let real = ModuleFiles.realPath(home) ?? home
            mount(real.hasSuffix("/bin") ? Self.parent(real) : real)
        }
    }

    /// The absolute interpreter of a `#!` script, nil for anything else.
    static func shebang(_ path: String) -> String? {
        guard FileSystem.kind(of: path) == .file else { return nil }
        guard let bytes = FileSystem.readPrefix(path, count: 256), bytes.count > 2 else { return nil }
        guard bytes.starts(with: [35, 33]) else { return nil }
        let line = String(decoding: bytes.dropFirst(2).prefix { $0 != 10 }, as: UTF8.self)
        guard let first = line.split(separator: " ").first, first.hasPrefix("/") else { return nil }
        return String(first)
    }

    private mutating func mount(_ dir: String) {
        guard dir.hasPrefix("/"), dir != "/", !Self.isSystem(dir), FileSystem.kind(of: dir) == .directory else {
            return
        }
        if readOnly.contains(where: { dir == $0 || dir.hasPrefix($0 + "/") }) { return }
        readOnly.removeAll { $0.hasPrefix(dir + "/") }
        readOnly.append(dir)
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var s = self
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return s
    }
}
