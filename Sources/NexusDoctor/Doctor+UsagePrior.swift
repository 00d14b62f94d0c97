import NexusCore
import NexusModules
import NexusOrchestrator

/// The usage prior's part of the tool picker's doctor line: whether `[modules] usage_prior` is on and how many
/// installed apps it has evidence for (one grouped read of the call log).
extension Doctor {
    static func usagePriorNote(_ ctx: NexusContext) -> String {
        guard ctx.config.modules.usagePrior else { return "; usage prior off" }
        guard let read = try? ModuleRegistry(database: ctx.database).successfulVisits() else {
            return "; usage prior on (call log unreadable)"
        }
        let apps = read.visits.count
        return "; usage prior on (\(apps) app\(apps == 1 ? "" : "s") used)"
    }
}
