import NexusCore

/// The mark a failed live test leaves (`degraded`, "live test: ..."), lifted when the test passes again.
extension ModuleRegistry {
    /// Back to healthy when the module is degraded by a live test; any other health is left as it is.
    public func clearLiveTestFailure(_ name: String) throws {
        try database.execute(
            "UPDATE modules SET health = ?, last_error = NULL WHERE name = ? AND health = ? AND last_error LIKE ?",
            [
                .text(ModuleHealth.healthy.rawValue), .text(name), .text(ModuleHealth.degraded.rawValue),
                .text("live test:%"),
            ])
    }
}
