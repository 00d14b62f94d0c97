/// The libcurl nexus loads for HTTP, for `nexus doctor`.
public enum CurlInfo {
    /// The version line, or why libcurl cannot be loaded (loading it here is what doctor checks).
    public static var version: Result<String, CurlLoadError> { CurlLibrary.shared.map(\.versionLine) }
}
