import NexusPOSIX

/// The process environment as a dictionary, read once.
enum ProcessEnvironment {
    static let current: [String: String] = Environment.all

    /// The directory nexus was started in, for relative paths the person typed (`--read ./repo`).
    static let workingDirectory: String = ProcessControl.currentDirectory
}
