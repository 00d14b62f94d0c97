#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The user's own habits as a prior on which app's tool a turn means: with 1,000 apps installed, "what's this
/// song called" is offered by ten music apps under one name, and the one the person has been calling is the one
/// they mean. Built from each app's visits (`ModuleUsage`, from the `module_calls` log): one per clock hour with a
/// successful call, so a burst of calls a tool's output asked the model for is one visit.
///
/// It only reorders what relevance already found: the candidates the lexical or hybrid ranking put in its top
/// pool (never a tool the turn did not match), each relevance score multiplied by at most `1 + strength`. The
/// evidence saturates: an app's weight is `ln(1 + visits) / ln(1 + saturation)`, at most 1, so an app visited a
/// thousand times counts as much as one visited `saturation` times. An app the turn names or implies (`AppRouter`)
/// weighs as much as the most used app: "search my dropbox" means Dropbox even for a user who lives in Google Drive.
/// An empty history changes nothing: the ranking is the one without a prior, bit for bit. Chosen on the tuning
/// turns of testdata/picker against a `tieBreak` among same-name copies and weaker or stronger settings
/// (BENCHMARKS.md, session 8).
/// `withSession` adds the short-term half: the apps the session called in its last turns (`RecentTools`), weighed on
/// top of the long-term use, so a follow-up that names no app stays with the conversation's app.
public struct AppUsagePrior: Sendable {
    /// How the prior reorders the candidates.
    public enum Form: String, Sendable {
        /// Each candidate's score times `1 + strength × weight`: a used app's tool can pass look-alikes and
        /// differently named twins that scored less than `1 + strength` times below it.
        case boost
        /// Only copies of one tool name (`send_email` of eight mail apps) trade places, most used first; every
        /// other tool keeps its place.
        case tieBreak = "tiebreak"
    }

    /// The strength and shape of the prior; the defaults were chosen on testdata/picker/tuning.jsonl only.
    public struct Settings: Sendable {
        public var form = Form.boost
        /// The most a used app's tool's score is multiplied by, minus one (0: off): at 1, a tool of an app the person
        /// uses passes a tool of an app they never used only if it scored at least half as high.
        public var strength: Double = 1
        /// Visits (hours with a successful call) at which an app's weight is full (log-scaled below it): a few
        /// visits say the person uses the app; more say nothing more about which of their apps a turn means. The bench's
        /// `NEXUS_PICKER_TUNE` key `usageSaturation` sets it.
        public var saturation: Double = 3
        /// The most a tool of an app this session called in its last turns is multiplied by, minus one (0: off); see
        /// `withSession`. Applied on top of `strength`, so the conversation's app leads among apps used alike. At 1 a
        /// tool of the app the conversation is using passes a look-alike only if it scored at least half as high.
        /// Chosen on the tuning halves: 2 won 5 of 43 follow-ups (hybrid, +8,924) and lost 6 of 108 turns that change
        /// topic without naming an app (hybrid, real tools alone) to the old app's tools (BENCHMARKS.md, session 8).
        public var sessionStrength: Double = 1
        public init() {}
    }

    public let settings: Settings
    /// App id (the index's `AppRouter`) → weight in (0, 1], for apps with at least one visit.
    let weights: [Int32: Float]
    /// App id → weight in (0, 1] of the apps the session called in its last turns (`RecentTools.apps`).
    var session: [Int32: Float] = [:]

    /// No installed app has been used, ever or in this session: the ranking is left as it is.
    public var isEmpty: Bool {
        (weights.isEmpty || settings.strength <= 0) && (session.isEmpty || settings.sessionStrength <= 0)
    }

    /// `visits` maps a module name (a tool's `app__` namespace) to its visits (`ModuleUsage.Snapshot.visits`:
    /// distinct hours with a successful call); modules without tools in `index` (not installed, or disabled) and
    /// counts below 1 are ignored.
    public init(visits: [String: Int], index: ToolIndex, settings: Settings = Settings()) {
        self.settings = settings
        var weights: [Int32: Float] = [:]
        let full = log(1 + max(settings.saturation, 1))
        for (module, n) in visits where n > 0 {
            guard let app = index.router.appIDs[module] else { continue }
            weights[app] = Float(min(log(1 + Double(n)) / full, 1))
        }
        self.weights = weights
    }

    /// This prior and the session's recent apps: a follow-up turn that names no app ("reply that I'll look at it after
    /// lunch") ranks the tools of the apps the conversation has been using above look-alikes. Apps without tools in
    /// `index` are ignored; an app the turn names weighs as much as the session's most recent one.
    public func withSession(_ recent: RecentTools, index: ToolIndex) -> AppUsagePrior {
        var out = self
        out.session = [:]
        for (module, w) in recent.apps where w > 0 {
            guard let app = index.router.appIDs[module] else { continue }
            out.session[app] = Float(min(w, 1))
        }
        return out
    }

    /// What tool `d`'s score is multiplied by: `1 + strength × weight` for the person's use (when there is any),
    /// times `1 + sessionStrength × session weight` for this session's (when there is any). A named app counts fully
    /// in both, so no prior lifts another app above the one the turn names.
    func factor(ofTool d: Int, appOfTool: [Int32], named: [Int32: Float]) -> Float {
        var f: Float = 1
        if !weights.isEmpty {
            f *= 1 + Float(max(settings.strength, 0)) * weight(ofTool: d, appOfTool: appOfTool, named: named)
        }
        if !session.isEmpty {
            let app = appOfTool[d]
            let r: Float = app < 0 ? 0 : named[app] != nil ? 1 : session[app] ?? 0
            f *= 1 + Float(max(settings.sessionStrength, 0)) * r
        }
        return f
    }

    /// The weight of tool `d`'s app for this turn: its use, or the full weight when the turn names or implies the app,
    /// so a named app never weighs less than one the turn does not name, however used.
    func weight(ofTool d: Int, appOfTool: [Int32], named: [Int32: Float]) -> Float {
        let app = appOfTool[d]
        guard app >= 0 else { return 0 }
        return named[app] != nil ? 1 : weights[app] ?? 0
    }

    /// The app's use alone: what breaks a tie, so among apps a turn implies alike ("the channel" of a catalogue with
    /// two chat apps) the one the person uses still leads.
    func use(ofTool d: Int, appOfTool: [Int32]) -> Float {
        let app = appOfTool[d]
        return app >= 0 ? (weights[app] ?? 0) + (session[app] ?? 0) : 0
    }

    /// `ranked` (best first, the ranking's candidate pool) reordered by the prior; `named` are the apps the turn
    /// names with the share they were boosted by.
    func reorder(_ ranked: [ToolIndex.Match], index: ToolIndex, named: [Int32: Float]) -> [ToolIndex.Match] {
        guard !isEmpty, ranked.count > 1 else { return ranked }
        let appOfTool = index.router.appOfTool
        switch settings.form {
        case .boost:
            return ranked.enumerated().map { i, m in
                let f = factor(ofTool: m.index, appOfTool: appOfTool, named: named)
                let match = ToolIndex.Match(index: m.index, score: m.score * Double(f))
                return (match: match, use: use(ofTool: m.index, appOfTool: appOfTool), place: i)
            }.sorted { a, b in
                if a.match.score != b.match.score { return a.match.score > b.match.score }
                return a.use > b.use || (a.use == b.use && a.place < b.place)
            }.map(\.match)
        case .tieBreak:
            // Each name keeps the places its copies had; the copies fill them most used first.
            var places: [Int32: [Int]] = [:]
            for (i, m) in ranked.enumerated() { places[index.localNames[m.index], default: []].append(i) }
            var out = ranked
            for (_, slots) in places where slots.count > 1 {
                let copies = slots.map { ranked[$0] }.enumerated().sorted { a, b in
                    let wa = factor(ofTool: a.element.index, appOfTool: appOfTool, named: named)
                    let wb = factor(ofTool: b.element.index, appOfTool: appOfTool, named: named)
                    return wa > wb || (wa == wb && a.offset < b.offset)
                }
                for (slot, copy) in zip(slots, copies) { out[slot] = copy.element }
            }
            return out
        }
    }
}
