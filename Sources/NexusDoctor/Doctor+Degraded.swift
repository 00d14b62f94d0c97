import NexusCore
import NexusOrchestrator
import NexusStore

extension Doctor {
    /// What `nexus doctor` runs on when the normal start fails (a config error, an unusable home, a damaged
    /// database): each of those is checked on its own and reported with its fix, and the checks after them
    /// (providers, libraries, sandbox) run on the defaults and an in-memory database, so doctor still
    /// diagnoses exactly the states it exists for.
    /// What the degraded start found: a context to run the remaining checks on, the lines for config, home
    /// and database, and whether the database is the real one (if not, checks that read it say so).
    public struct Degraded {
        public var context: NexusContext
        public var checks: [DoctorCheck]
        public var databaseUsable: Bool
    }

    public static func degradedContext(homeFlag: String?, configFlag: String?, environment: [String: String]) throws
        -> Degraded
    {
        let environment = NexusContext.detectingLocalServers(environment)
        let paths = NexusPaths.resolve(homeFlag: homeFlag, configFlag: configFlag, environment: environment)
        var checks: [DoctorCheck] = []
        var loaded: ConfigLoader.Loaded
        do {
            loaded = try ConfigLoader.load(paths: paths, environment: environment)
            checks.append(configCheck(file: paths.configFile, warnings: loaded.warnings))
        } catch {
            checks.append(failed("config", error))
            loaded = try ConfigLoader.load(text: "", file: paths.configFile, environment: environment)
        }
        var database: Database?
        do {
            try NexusContext.prepareHome(paths)
            checks.append(DoctorCheck(.ok, "home", paths.home))
            do {
                let db = try Database(path: paths.database)
                database = db
                checks.append(
                    DoctorCheck(
                        .ok, "database", "\(paths.database) (schema steps \(try db.appliedStepsSummary()); WAL)"))
            } catch {
                checks.append(failed("database", error))
            }
        } catch {
            checks.append(failed("home", error))
            checks.append(DoctorCheck(.fail, "database", "not checked: the home is unusable"))
        }
        let ctx = NexusContext(
            paths: paths, config: loaded.config, warnings: loaded.warnings,
            database: try database ?? Database(path: ":memory:"), bus: EventBus(), environment: environment)
        return Degraded(context: ctx, checks: checks, databaseUsable: database != nil)
    }

    static func failed(_ name: String, _ error: any Error) -> DoctorCheck {
        let e = error as? any UserFacingError
        return DoctorCheck(.fail, name, e?.userMessage ?? String(describing: error), fix: e?.hint)
    }
}
