import CCurl

#if canImport(Glibc)
    import Glibc
#endif

/// libcurl, loaded with `dlopen` on first use instead of linked.
///
/// Why: libcurl drags in about thirty shared libraries (OpenSSL, GnuTLS, Kerberos, LDAP, SSH, ...). Linking
/// them made the dynamic loader resolve ~8,500 symbols before `main`, half of nexus's start-up, even for
/// `nexus --version` or a session that never reaches a network provider. Loading on the first request
/// moves that cost to the moment a provider is called, where a network round trip dwarfs it.
///
/// Every function nexus uses is resolved once, up front, so a missing or too-old libcurl is one clear
/// error at the first request (and in `nexus doctor`) rather than a crash halfway through a transfer.
/// Immutable after loading, hence `@unchecked Sendable`.
final class CurlLibrary: @unchecked Sendable {
    typealias Handle = UnsafeMutableRawPointer

    let easyInit: @convention(c) () -> Handle?
    let easyCleanup: @convention(c) (Handle?) -> Void
    let easyStrerror: @convention(c) (CURLcode) -> UnsafePointer<CChar>?
    /// `curl_easy_setopt`, variadic: call it only through the `nx_curl_setopt_*` wrappers.
    let easySetopt: UnsafeMutableRawPointer
    let multiInit: @convention(c) () -> Handle?
    let multiCleanup: @convention(c) (Handle?) -> CURLMcode
    let multiAddHandle: @convention(c) (Handle?, Handle?) -> CURLMcode
    let multiRemoveHandle: @convention(c) (Handle?, Handle?) -> CURLMcode
    let multiPerform: @convention(c) (Handle?, UnsafeMutablePointer<Int32>?) -> CURLMcode
    let multiInfoRead: @convention(c) (Handle?, UnsafeMutablePointer<Int32>?) -> UnsafeMutablePointer<CURLMsg>?
    let multiPoll:
        @convention(c) (Handle?, UnsafeMutablePointer<curl_waitfd>?, UInt32, Int32, UnsafeMutablePointer<Int32>?) ->
            CURLMcode
    let multiWakeup: @convention(c) (Handle?) -> CURLMcode
    let slistAppend:
        @convention(c) (UnsafeMutablePointer<curl_slist>?, UnsafePointer<CChar>?) -> UnsafeMutablePointer<curl_slist>?
    let slistFreeAll: @convention(c) (UnsafeMutablePointer<curl_slist>?) -> Void
    let version: @convention(c) () -> UnsafeMutablePointer<CChar>?

    /// The sonames tried in order: the OpenSSL build Debian's libcurl4-openssl-dev links, then the GnuTLS
    /// build (same API and ABI), then the unversioned development link.
    static let sonames = ["libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so"]

    /// The process-wide library: loaded and globally initialised on first access, thread-safely.
    static let shared: Result<CurlLibrary, CurlLoadError> = load(sonames: sonames)

    /// The loaded library or the error a request reports.
    static func get() throws(CurlLoadError) -> CurlLibrary { try shared.get() }

    static func load(sonames: [String]) -> Result<CurlLibrary, CurlLoadError> {
        var reasons: [String] = []
        for name in sonames {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                reasons.append(dlerror().map { String(cString: $0) } ?? "\(name): cannot be loaded")
                continue
            }
            do {
                let lib = try CurlLibrary(handle: handle)
                return .success(lib)
            } catch {
                return .failure(error)
            }
        }
        return .failure(CurlLoadError(reason: reasons.first ?? "no libcurl soname to try"))
    }

    private init(handle: UnsafeMutableRawPointer) throws(CurlLoadError) {
        func symbol(_ name: String) throws(CurlLoadError) -> UnsafeMutableRawPointer {
            guard let p = dlsym(handle, name) else {
                throw CurlLoadError(reason: "the loaded libcurl has no \(name) (libcurl ≥ 7.68 is needed)")
            }
            return p
        }
        func fn<F>(_ name: String, as _: F.Type) throws(CurlLoadError) -> F {
            unsafeBitCast(try symbol(name), to: F.self)
        }
        easyInit = try fn("curl_easy_init", as: (@convention(c) () -> Handle?).self)
        easyCleanup = try fn("curl_easy_cleanup", as: (@convention(c) (Handle?) -> Void).self)
        easyStrerror = try fn("curl_easy_strerror", as: (@convention(c) (CURLcode) -> UnsafePointer<CChar>?).self)
        easySetopt = try symbol("curl_easy_setopt")
        multiInit = try fn("curl_multi_init", as: (@convention(c) () -> Handle?).self)
        multiCleanup = try fn("curl_multi_cleanup", as: (@convention(c) (Handle?) -> CURLMcode).self)
        multiAddHandle = try fn("curl_multi_add_handle", as: (@convention(c) (Handle?, Handle?) -> CURLMcode).self)
        multiRemoveHandle = try fn(
            "curl_multi_remove_handle", as: (@convention(c) (Handle?, Handle?) -> CURLMcode).self)
        multiPerform = try fn(
            "curl_multi_perform", as: (@convention(c) (Handle?, UnsafeMutablePointer<Int32>?) -> CURLMcode).self)
        multiInfoRead = try fn(
            "curl_multi_info_read",
            as: (@convention(c) (Handle?, UnsafeMutablePointer<Int32>?) -> UnsafeMutablePointer<CURLMsg>?).self)
        multiPoll = try fn(
            "curl_multi_poll",
            as: (@convention(c) (
                Handle?, UnsafeMutablePointer<curl_waitfd>?, UInt32, Int32, UnsafeMutablePointer<Int32>?
            ) -> CURLMcode).self)
        multiWakeup = try fn("curl_multi_wakeup", as: (@convention(c) (Handle?) -> CURLMcode).self)
        slistAppend = try fn(
            "curl_slist_append",
            as: (@convention(c) (UnsafeMutablePointer<curl_slist>?, UnsafePointer<CChar>?) ->
                UnsafeMutablePointer<curl_slist>?).self)
        slistFreeAll = try fn(
            "curl_slist_free_all", as: (@convention(c) (UnsafeMutablePointer<curl_slist>?) -> Void).self)
        version = try fn("curl_version", as: (@convention(c) () -> UnsafeMutablePointer<CChar>?).self)
        let globalInit = try fn("curl_global_init", as: (@convention(c) (Int) -> CURLcode).self)
        // curl_global_init is not thread-safe on old libcurl; `shared` is a Swift global, initialised once.
        let code = globalInit(Int(CURL_GLOBAL_DEFAULT))
        guard code == CURLE_OK else {
            throw CurlLoadError(reason: "curl_global_init failed (code \(code.rawValue))")
        }
    }

    /// The library's version line, e.g. "libcurl/7.88.1 OpenSSL/3.0.11 zlib/1.2.13 ...".
    var versionLine: String { version().map { String(cString: $0) } ?? "libcurl (unknown version)" }

    func errorText(_ code: CURLcode) -> String {
        easyStrerror(code).map { String(cString: $0) } ?? "curl error \(code.rawValue)"
    }
}

/// libcurl could not be loaded: said once, at the first request and in `nexus doctor`, with how to fix it.
public struct CurlLoadError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    /// What to run.
    public let fix = "install it: sudo apt-get install libcurl4"
    public var summary: String { "libcurl could not be loaded (\(reason))" }
    public var description: String { "\(summary) — \(fix)" }
}
