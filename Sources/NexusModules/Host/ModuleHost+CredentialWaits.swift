/// The modules held back for a credential, as the host knows them, without a look at the registry: what the tool
/// source's held-back note (`ModuleToolSource.heldBack`) keys its cache on, so a turn with nothing changed reads
/// nothing.
extension ModuleHost {
    /// Module → the credential it waits for, filled as modules fail to start for that reason and emptied as they
    /// start with it; disabled or removed modules may be among them (the caller asks the registry, once per change).
    /// Builds the catalogue first when it was never built, since that is when modules are first started.
    public func credentialWaits() async -> [String: String] {
        if routes == nil { await buildCatalogue() }
        return waitingForCredential
    }
}
