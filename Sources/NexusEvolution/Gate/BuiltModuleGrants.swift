import NexusCore

/// Part of check c: a module the gate checks may not ask for host paths. The gate checks what a model
/// wrote (`nexus build`, `/build`, a build_module turn), and a model's reply is hostile input: a manifest's
/// `filesystem.read`/`write` would bind host paths (`/root/.bashrc`, `~/.ssh`) into the jail, and under
/// `--approve yes` no person would see them. Built modules keep their files under NEXUS_MODULE_DATA
/// (`/data`); a person who wants a module to see a host path grants it at install, typing it themselves
/// (`nexus modules install PATH --read/--write`). `nexus build` has no grant flag: a built module has none.
enum BuiltModuleGrants {
    /// One line per grant the manifest asks for, naming the path and what to do instead.
    static func problems(_ manifest: JSONValue) -> [String] {
        guard let fs = manifest["filesystem"]?.objectValue else { return [] }
        var out: [String] = []
        for key in ["read", "write"] {
            for (i, p) in (fs[key]?.arrayValue ?? []).enumerated() {
                let path = p.stringValue.map { JSONValue.string($0).serialized } ?? p.serialized
                out.append(
                    "manifest.json: filesystem.\(key)[\(i)] \(path): a module may not ask for host paths; keep its "
                        + "files under NEXUS_MODULE_DATA (/data) and remove \"filesystem\" (a person grants a path "
                        + "at install: nexus modules install FOLDER --\(key) PATH)")
            }
        }
        return out
    }
}
