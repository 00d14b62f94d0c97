import NexusCore
import NexusPOSIX

/// The executables nexus runs beside itself: `nexus-admin` (the admin API's HTTP front) and `nexus-yaml`
/// (YAML OpenAPI documents). Each keeps a heavy library out of the binary every chat starts, so a copied
/// `nexus` without them still chats; this check says what would not work and how to get it back.
extension Doctor {
    /// The helpers and what each is for.
    static let helpers: [(name: String, purpose: String)] = [
        ("nexus-admin", "the admin API and /metrics (nexus serve, --admin-port)"),
        ("nexus-yaml", "YAML OpenAPI documents (nexus build --openapi FILE.yaml)"),
    ]

    static func helperCheck(folder: String = Doctor.executableFolder) -> DoctorCheck {
        let missing = helpers.filter { !FileSystem.isExecutable(folder + "/" + $0.name) }
        guard !missing.isEmpty else {
            return DoctorCheck(.ok, "helpers", helpers.map(\.name).joined(separator: ", ") + " beside nexus")
        }
        return DoctorCheck(
            .warn, "helpers",
            missing.map { "\($0.name) is missing from \(folder), so \($0.purpose) will not run" }.joined(
                separator: "; "),
            fix: "build them with `swift build -c release --static-swift-stdlib` (or `make release`) and keep them"
                + " beside nexus")
    }

    /// The folder of the running executable.
    static var executableFolder: String {
        let me = ProcessControl.executablePath
        return String(me[..<(me.lastIndex(of: "/") ?? me.startIndex)])
    }
}
