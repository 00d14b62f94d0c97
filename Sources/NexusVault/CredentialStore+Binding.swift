import NexusCore
import NexusStore

/// Credentials are bound to a module's name and to its approved files.
///
/// Each row keeps the sha256 of the module code it was given to (`bound_sha256`): the module's approved
/// digest when `nexus creds set` stored it. At injection the module must be installed, and the binding
/// must be its current approval or one approved since this installation began (an upgrade or rollback
/// the person approved; the binding then moves to the current one). A module removed and installed
/// again under the same name — other code with the old name — gets nothing until `nexus creds bind`.
/// Rows without a binding (stored before binding existed, or with `--force` for a module not yet
/// installed) are bound at their first use. The host has checked, just before, that the folder matches
/// the current approval, so a credential only ever reaches files whose sha256 the person approved.
extension CredentialStore {
    func approval(of module: String) throws(VaultError) -> ModuleApprovalsRepository.Approval? {
        do {
            return try ModuleApprovalsRepository(db: database).approval(of: module)
        } catch {
            throw Self.wrap(error)
        }
    }

    /// The stored name for `name`: itself, or — for manifests written when names were lowercased — the
    /// one stored name equal to it but for case. Nil when there is none (or more than one).
    func storedName(module: String, name: String) throws(VaultError) -> String? {
        do {
            let rows = try database.query(
                "SELECT name FROM vault_credentials WHERE module = ? AND name = ? COLLATE NOCASE",
                [.text(module), .text(name)])
            let names = rows.compactMap { $0.text(0) }
            if names.contains(name) { return name }
            return names.count == 1 ? names[0] : nil
        } catch {
            throw VaultError.wrap(error)
        }
    }

    /// Checks (module, name)'s binding against the module's approval; binds an unbound row and moves a
    /// binding along an approved upgrade. Throws `boundToOtherCode` otherwise.
    func checkBinding(module: String, name: String, approval: ModuleApprovalsRepository.Approval) throws(VaultError) {
        let bound: String?
        do {
            bound = try database.query(
                "SELECT bound_sha256 FROM vault_credentials WHERE module = ? AND name = ?",
                [.text(module), .text(name)]
            ).first?.text(0)
        } catch { throw VaultError.wrap(error) }
        if bound == approval.current { return }
        if let bound, !approval.lineage.contains(bound) { throw .boundToOtherCode(module: module, name: name) }
        try setBinding(module: module, names: [name], to: approval.current)
        audit(
            actor: .module(module), action: "bind", target: "\(module)/\(name)",
            detail: bound == nil
                ? "first use: sha256 \(approval.current.prefix(12))"
                : "approved upgrade: sha256 \(approval.current.prefix(12))")
    }

    /// `nexus creds bind MODULE`: gives every credential stored for `module` to its approved files as
    /// they are now. Returns how many were bound.
    @discardableResult
    public func bind(module: String, actor: VaultActor) throws(VaultError) -> Int {
        try Self.validate(module: module, name: "x")
        guard let approval = try approval(of: module) else { throw .moduleNotInstalled(module: module) }
        let names = try list(module: module).map(\.name)
        try setBinding(module: module, names: names, to: approval.current)
        audit(
            actor: actor, action: "bind", target: module,
            detail: "sha256 \(approval.current.prefix(12)), \(names.count) credential(s)")
        return names.count
    }

    private func setBinding(module: String, names: [String], to sha256: String) throws(VaultError) {
        do {
            try database.transaction { tx in
                for n in names {
                    try tx.execute(
                        "UPDATE vault_credentials SET bound_sha256 = ? WHERE module = ? AND name = ?",
                        [.text(sha256), .text(module), .text(n)])
                }
            }
        } catch { throw Self.wrap(error) }
    }
}
