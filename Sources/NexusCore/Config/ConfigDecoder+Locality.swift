/// Which providers count as "on this machine" for `privacy = "local-only"`, and the start-up warning
/// for routes that such a policy would leave with no model at all.
extension ConfigDecoder {
    /// True for a provider marked `local = true` or whose `base_url` is loopback (`Endpoint.isLoopback`).
    /// A provider without `base_url` uses its kind's public default (loopback only for ollama).
    public static func isOnThisMachine(_ provider: ProviderConfig) -> Bool {
        if provider.markedLocal { return true }
        guard let url = provider.baseURL ?? defaultBaseURL[provider.kind] else { return false }
        return Endpoint.isLoopback(url: url)
    }

    /// Under local-only, a route whose every model is on a remote provider can never run: say so once.
    mutating func warnAboutRoutesPrivacyForbids() {
        guard config.privacy == .localOnly else { return }
        var warned = Set<TaskType>()
        for (task, _, line) in routingLines where !warned.contains(task) {
            let chain = config.routing[task] ?? []
            let anyLocal = chain.contains { ref in
                config.provider(named: ref.provider).map(Self.isOnThisMachine) ?? false
            }
            if anyLocal { continue }
            warned.insert(task)
            warnings.append(
                ConfigWarning(
                    file: source, line: line,
                    message:
                        "\(Self.join("routing", task.rawValue)) names no local provider, and privacy is local-only: "
                        + "turns of this type cannot run"))
        }
    }
}
