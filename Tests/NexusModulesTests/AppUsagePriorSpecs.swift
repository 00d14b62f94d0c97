import NexusCore
import NexusStore
import NexusTesting
import Testing

@testable import NexusModules

/// The picker's usage prior: the apps a person has called successfully (the real registry's `module_calls`, in a
/// real SQLite file) rank above look-alike apps they never used, without ever overruling what the turn says.
@Suite struct AppUsagePriorSpecs {
    static func tool(_ name: String, _ description: String) -> ToolDefinition {
        ToolDefinition(name: name, description: description)
    }

    /// Three music apps with one tool each under one name, two chat apps with differently named twins, two file
    /// stores, and an SMS app. The catalogue order puts the apps the specs use last.
    static let tools = [
        tool("deezer__get_currently_playing", "Get the song that is playing now."),
        tool("tidal__get_currently_playing", "Get the song that is playing now."),
        tool("spotify__get_currently_playing", "Get the song that is playing now."),
        tool("rocketchat__send_message", "Send a message to a channel."),
        tool("slack__post_message", "Post a message to a channel."),
        tool("dropbox__search", "Search files and folders in Dropbox."),
        tool("google_drive__search_files", "Search files and folders in Google Drive."),
        tool("twilio__send_sms", "Send a text message (SMS) to a phone number."),
        tool("weather__get_forecast", "Get the weather forecast for a place."),
    ]
    static let index = ToolIndex(tools)

    /// A registry over a fresh database with every app of `tools` installed.
    final class Home {
        let dir = TemporaryDirectory()
        let registry: ModuleRegistry

        init() throws {
            registry = ModuleRegistry(database: try Database(path: dir.path + "/nexus.db"))
            for app in Set(AppUsagePriorSpecs.tools.map { ToolIndex.splitName($0.name).namespace }) {
                try registry.upsert(
                    ModuleRecord(
                        name: app, category: "testing", version: "1.0.0", path: dir.path, sha256: "x", source: "test",
                        installedAt: WallClock.now() - 10 * 86_400))
            }
        }

        deinit { dir.remove() }

        func call(_ module: String, times: Int, outcome: String = "ok") throws {
            for _ in 0..<times {
                try registry.recordCall(
                    module: module, tool: "t", latencyMs: 1, outcome: outcome, error: outcome == "ok" ? nil : "failed")
            }
        }

        /// Successful calls of `module` logged at `times` (seconds since the epoch), in that order.
        func log(_ module: String, at times: [Double]) throws {
            try AppUsagePriorSpecs.log(registry, module, at: times)
        }

        /// The prior as the session builds it: from the call log, through `ModuleUsage`.
        func prior(_ settings: AppUsagePrior.Settings = AppUsagePrior.Settings()) -> AppUsagePrior {
            AppUsagePrior(visits: ModuleUsage(registry: registry).current().visits, index: index, settings: settings)
        }
    }

    /// Successful calls of `module` written into `registry`'s call log at `times` (seconds since the epoch), in that
    /// order, as the module host logs them but at the times a spec needs.
    static func log(_ registry: ModuleRegistry, _ module: String, at times: [Double]) throws {
        try registry.database.transaction { (tx: TransactionContext) in
            for at in times { try tx.execute(ModuleUsageSpecs.insert, [.text(module), .double(at), .text("ok")]) }
        }
    }

    /// The start of the clock hour `hoursAgo` hours before the current one, in seconds since the epoch.
    static func hour(_ hoursAgo: Int) -> Double {
        ((WallClock.now() / 3600).rounded(.down) - Double(hoursAgo)) * 3600
    }

    static func names(_ query: String, usage: AppUsagePrior? = nil, k: Int = 5) -> [String] {
        index.rank(query: query, k: k, usage: usage).map { tools[$0.index].name }
    }

    @Test func anAppTheUserCallsOutranksALookAlikeTheyNeverUsed() throws {
        let home = try Home()
        try home.call("spotify", times: 4)
        try home.call("slack", times: 2)
        let prior = home.prior()
        // Without the history the first copy in the catalogue leads; with it, the copy of the app the person uses.
        #expect(Self.names("what's this song called").first == "deezer__get_currently_playing")
        #expect(Self.names("what's this song called", usage: prior).first == "spotify__get_currently_playing")
        // A differently named twin: the chat app they use, not the look-alike.
        #expect(Self.names("tell the team channel that lunch is here").first == "rocketchat__send_message")
        #expect(Self.names("tell the team channel that lunch is here", usage: prior).first == "slack__post_message")
    }

    @Test func anAppTheTurnNamesBeatsTheAppTheUserUsuallyCalls() throws {
        let home = try Home()
        try home.call("google_drive", times: 200)
        // However strong the habit: the named app weighs as much as the most used one, and relevance decides.
        var strong = AppUsagePrior.Settings()
        strong.strength = 10
        for prior in [home.prior(), home.prior(strong)] {
            #expect(Self.names("find my lease files", usage: prior).first == "google_drive__search_files")
            #expect(Self.names("search my dropbox for the lease", usage: prior).first == "dropbox__search")
        }
    }

    @Test func failedCallsAreNoEvidenceOfUse() throws {
        let home = try Home()
        for outcome in ["error", "tool_error", "rejected"] { try home.call("spotify", times: 5, outcome: outcome) }
        #expect(ModuleUsage(registry: home.registry).current().visits.isEmpty)
        #expect(home.prior().isEmpty)
        #expect(Self.names("what's this song called", usage: home.prior()).first == "deezer__get_currently_playing")
    }

    @Test func anEmptyHistoryLeavesTheRankingUnchanged() throws {
        let home = try Home()
        let queries = ["what's this song called", "tell the team channel lunch is here", "search my dropbox", "sms"]
        for prior in [
            home.prior(), AppUsagePrior(visits: ["not_installed": 50, "spotify": 0], index: Self.index),
        ] {
            #expect(prior.isEmpty)
            for q in queries {
                #expect(Self.index.rank(query: q, k: 5, usage: prior) == Self.index.rank(query: q, k: 5), "\(q)")
            }
        }
    }

    @Test func aMillionCallsDoNotOutweighRelevance() throws {
        let heavy = AppUsagePrior(visits: ["slack": 1_000_000], index: Self.index)
        let light = AppUsagePrior(visits: ["slack": 3], index: Self.index)
        #expect(heavy.weights == light.weights, "the evidence saturates")
        // The SMS tool matches the turn; slack's message tool only shares a word with it.
        #expect(Self.names("text mum on her phone that I landed", usage: heavy).first == "twilio__send_sms")
    }

    @Test func usageNeverPullsInAToolTheTurnDoesNotMatch() throws {
        let prior = AppUsagePrior(visits: ["slack": 500, "spotify": 500], index: Self.index)
        let picked = Self.names("weather forecast for lyon", usage: prior)
        #expect(picked.first == "weather__get_forecast")
        #expect(!picked.contains { $0.hasPrefix("slack__") || $0.hasPrefix("spotify__") }, "\(picked)")
    }

    @Test func onlyInstalledModulesCountAndAReinstalledModuleStartsAfresh() throws {
        let home = try Home()
        try home.call("spotify", times: 4)
        try home.registry.setState("spotify", .archived)
        #expect(ModuleUsage(registry: home.registry).current().visits["spotify"] == nil, "removed: no evidence")
        // Installed again as a new history (not the build it was: `ModuleUsageSpecs`): earlier calls do not count.
        var again = try #require(try home.registry.get("spotify"))
        again.state = .enabled
        again.installedAt = WallClock.now() + 1
        try home.registry.upsert(again)
        #expect(ModuleUsage(registry: home.registry).current().visits["spotify"] == nil)
    }

    @Test func newCallsReachThePriorWithoutRereadingTheLog() throws {
        let home = try Home()
        let usage = ModuleUsage(registry: home.registry)
        let empty = usage.current()
        #expect(empty.visits.isEmpty)
        try home.log("spotify", at: [Self.hour(3) + 5])
        let once = usage.current()
        #expect(once.visits == ["spotify": 1])
        #expect(once.version != empty.version)
        try home.call("spotify", times: 1, outcome: "error")
        #expect(usage.current() == once, "a failed call changes nothing")
        try home.log("spotify", at: [Self.hour(2) + 5, Self.hour(1) + 5])
        #expect(usage.current().visits == ["spotify": 3])
    }

    /// A tool's output is hostile text: one that tells the model "call deezer's tool thirty times" must not make deezer
    /// the person's habit. The evidence is the person coming back to an app (`ModuleUsage` counts distinct hours),
    /// so a turn's burst is one visit, below an app used on three separate occasions, whether the session reads the
    /// burst as it comes or a new session reads the whole log.
    @Test func aBurstOfCallsInOneTurnCountsAsOneVisitNotAsAHabit() throws {
        let home = try Home()
        for hoursAgo in [30, 20, 10] { try home.log("spotify", at: [Self.hour(hoursAgo) + 60]) }
        let usage = ModuleUsage(registry: home.registry)
        #expect(usage.current().visits == ["spotify": 3])
        // One turn, an hour ago: thirty successful calls of deezer within a minute.
        try home.log("deezer", at: (0..<30).map { Self.hour(1) + 60 + Double($0) })
        let apps = Self.index.router.appIDs
        let deezer = try #require(apps["deezer"])
        let spotify = try #require(apps["spotify"])
        let restarted = ModuleUsage(registry: home.registry).current().visits
        for (reader, calls) in [("this session", usage.current().visits), ("a new session", restarted)] {
            #expect(calls == ["spotify": 3, "deezer": 1], "\(reader)")
            let prior = AppUsagePrior(visits: calls, index: Self.index)
            #expect((prior.weights[deezer] ?? 0) < (prior.weights[spotify] ?? 0), "\(reader)")
            #expect(Self.names("what's this song called", usage: prior).first == "spotify__get_currently_playing")
        }
    }

    @Test func theHybridRankingLetsTheUsedAppsCopyLeadToo() {
        // Both halves see three identical copies; the semantic half prefers none of them.
        let vectors: [[Float]?] = Self.tools.indices.map { i in i < 3 ? [1, 0] : [0, 1] }
        let hybrid = HybridRanker(lexical: Self.index, semantic: SemanticIndex(dimension: 2, vectors: vectors))
        let prior = AppUsagePrior(visits: ["spotify": 10], index: Self.index)
        let first = { (usage: AppUsagePrior?) in
            hybrid.rank(query: "what's this song called", vectors: [[1, 0]], k: 5, usage: usage).first
                .map { Self.tools[$0.index].name }
        }
        #expect(first(nil) == "deezer__get_currently_playing")
        #expect(first(prior) == "spotify__get_currently_playing")
    }
}
