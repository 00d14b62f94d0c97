import NexusCore
import NexusEvolution
import NexusPOSIX
import NexusStore

/// A build's first stage: reads the template, the `--docs` file and each `--credential` (from a file or the
/// environment, never inline), then creates the build's workspace and its `builds` row (DESIGN §4.8).
/// A bad `--docs` or `--credential` is a usage error that names the flag.
struct PlanStage: PipelineStage {
    /// What the later stages build from.
    struct Plan: Sendable {
        var template: BuildTemplate
        var docs: String?
        var secrets: [String: [UInt8]]
        var workspace: BuildWorkspace
    }

    let setup: BuildSetup
    let repository: BuildRepository
    let session: String
    let environment: [String: String]
    let scrub: @Sendable (String) -> String

    var node: PipelineNode { .plan }

    func run(_ arguments: BuildArguments) async throws -> Plan {
        guard let dir = setup.templatesDirectory else {
            throw NexusError(
                "templates/python was not found, so there is nothing to build from",
                hint: "run nexus from its repository, or set NEXUS_BUILTIN_MODULES to the repository's modules folder")
        }
        let template = try setup.loadTemplate?(dir) ?? BuildTemplate.load(directory: dir)
        let docs = try arguments.docsFile.map { path throws -> String in
            do { return try FileSystem.readText(path, limit: 4 << 20) } catch {
                // A file system error names the path itself ("/x: no such file"): not twice.
                let why = error.userFacingDescription
                let what = why.hasPrefix(path + ":") ? why : "\(path): \(why)"
                throw NexusError("--docs \(what)", hint: "give a readable text file", exit: .usage)
            }
        }
        var secrets: [String: [UInt8]] = [:]
        for (name, source) in arguments.credentials {
            switch source {
            case .file(let path):
                do {
                    var bytes = try FileSystem.read(path, limit: 64 << 10)
                    while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
                    secrets[name] = bytes
                } catch {
                    throw NexusError("--credential \(name)=@\(path): \(error.userFacingDescription)", exit: .usage)
                }
            case .environment(let variable):
                guard let v = environment[variable], !v.isEmpty else {
                    throw NexusError("--credential \(name)=env:\(variable): \(variable) is not set", exit: .usage)
                }
                secrets[name] = Array(v.utf8)
            }
        }
        let workspace = try BuildWorkspace.create(buildsDirectory: setup.buildsDirectory)
        try repository.start(
            id: workspace.id, session: session, request: scrub(arguments.description), requestedName: arguments.name,
            docsBytes: docs?.utf8.count ?? 0, templateVersion: template.version, folder: workspace.root)
        return Plan(template: template, docs: docs, secrets: secrets, workspace: workspace)
    }

    func detail(_ output: Plan) -> String? { "template \(output.template.version)" }
}
