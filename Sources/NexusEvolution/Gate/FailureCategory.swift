/// Why a gate attempt failed, in the words the repair prompt uses: each failed check names one.
public enum FailureCategory: String, Sendable, Codable, CaseIterable {
    case syntax, `import`, policy, manifest, `protocol`, test, mutation, timeout, contract
}
