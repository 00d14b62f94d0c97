import ArgumentParser
import NexusOrchestrator
import NexusStore

/// `nexus modules builds [ID]`: past builds (request, outcome, attempts, time, cost), or one in full.
/// The same text as `/builds`.
extension ModulesCommand {
    struct Builds: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Past module builds, or one build in full.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A build id (or its first characters).") var id: String?
        func run() async throws {
            let repo = BuildRepository(db: try global.openContext().database)
            Terminal.out((try id.map { try BuildHistoryText.show(repo, id: $0) } ?? BuildHistoryText.list(repo)) + "\n")
        }
    }
}
