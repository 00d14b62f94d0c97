import CCurl

/// The libcurl linked in, for `nexus doctor`.
public enum CurlInfo {
    public static var version: String { curl_version().map { String(cString: $0) } ?? "libcurl (unknown version)" }
}
