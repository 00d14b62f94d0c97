/// `[routing]`, `[tasks.NAME]` and `[pricing."provider:model"]`: which model does what, and at what price.
extension ConfigDecoder {
    static let routingExpectation = "\"provider:model\" or a list of them"

    /// A task type named as a table key: validated, and warned about when one typo from a built-in.
    mutating func taskName(_ key: String, line: Int, path: String) throws(ConfigError) -> TaskType {
        guard TaskType.isValidName(key) else {
            throw ConfigError(
                file: source, line: line, key: path,
                message: "expected a task type name of lowercase letters, digits and \"_\"")
        }
        let task = TaskType(key)
        warnIfMisspeltTask(task, line: line, path: path)
        return task
    }

    mutating func decodeRouting(_ v: TOMLValue) throws(ConfigError) {
        let t = try table(v, "routing")
        for entry in t.entries {
            let path = Self.join("routing", entry.key)
            let task = try taskName(entry.key, line: entry.line, path: path)
            var chain: [ModelRef] = []
            let items = entry.value.array ?? [entry.value]
            if items.isEmpty { throw fail(entry.value, path, expected: Self.routingExpectation) }
            for item in items {
                guard let s = item.string, let ref = ModelRef(parsing: s) else {
                    throw fail(item, path, expected: Self.routingExpectation)
                }
                chain.append(ref)
                routingLines.append((task, ref, item.line))
            }
            config.routing[task] = chain
        }
    }

    mutating func decodeTasks(_ v: TOMLValue) throws(ConfigError) {
        let all = try table(v, "tasks")
        for entry in all.entries {
            let path = Self.join("tasks", entry.key)
            let task = try taskName(entry.key, line: entry.line, path: path)
            let t = try table(entry.value, path)
            warnUnknownKeys(in: t, path: path, known: Self.taskKeys)
            if let x = t["tier"] {
                config.taskTiers[task] = Tier(rawValue: try choice(x, path + ".tier", Tier.allCases.map(\.rawValue)))
            }
            if let x = t["keywords"] {
                let words = try strings(x, path + ".keywords")
                if words.contains(where: \.isEmpty) {
                    throw fail(x, path + ".keywords", expected: "non-empty keywords")
                }
                config.taskKeywords[task] = words
            }
        }
    }

    mutating func decodePricing(_ v: TOMLValue) throws(ConfigError) {
        let all = try table(v, "pricing")
        for entry in all.entries {
            let path = Self.join("pricing", entry.key)
            guard ModelRef(parsing: entry.key) != nil else {
                throw ConfigError(
                    file: source, line: entry.line, key: path,
                    message: "expected a \"provider:model\" key, like [pricing.\"anthropic:claude-sonnet-4-5\"]")
            }
            let t = try table(entry.value, path)
            warnUnknownKeys(in: t, path: path, known: Self.pricingKeys)
            var prices: [Double] = []
            for key in Self.pricingKeys {
                guard let x = t[key] else {
                    throw ConfigError(
                        file: source, line: t.line == 0 ? entry.line : t.line, key: path + "." + key,
                        message: "expected a price in US dollars per million tokens (missing)")
                }
                prices.append(try price(x, path + "." + key))
            }
            config.pricing[entry.key] = Pricing(inputPerMTok: prices[0], outputPerMTok: prices[1])
        }
    }

    /// New task types are allowed; one a typo away from a built-in is almost certainly a mistake.
    mutating func warnIfMisspeltTask(_ task: TaskType, line: Int, path: String) {
        guard !TaskType.builtIn.contains(task) else { return }
        let names = TaskType.builtIn.map(\.rawValue)
        guard let guess = DidYouMean.suggestion(for: task.rawValue, among: names),
            DidYouMean.distance(task.rawValue, guess) <= 2
        else { return }
        warnings.append(
            ConfigWarning(
                file: source, line: line,
                message: "unknown task type \(path) (did you mean \(guess)?); it defines a new task type"))
    }

    /// Every provider named in `[routing]` must exist once defaults are applied.
    func checkRoutingProviders() throws(ConfigError) {
        let names = config.providers.map(\.name)
        for (task, ref, line) in routingLines where !names.contains(ref.provider) {
            var hint = "declare [providers.\(ref.provider)] or route to one of: \(names.joined(separator: ", "))"
            if let guess = DidYouMean.suggestion(for: ref.provider, among: names) {
                hint = "did you mean \(guess)? (" + hint + ")"
            } else if let kind = ProviderKind(rawValue: ref.provider), let env = Self.keyVariable[kind] {
                hint = "set \(env) or " + hint
            }
            throw ConfigError(
                file: source, line: line, key: Self.join("routing", task.rawValue),
                message: "unknown provider \"\(ref.provider)\" in \"\(ref)\"", hint: hint)
        }
    }
}
