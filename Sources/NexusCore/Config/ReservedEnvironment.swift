/// Environment variable names a module's credentials (or settings) may never set, because they change
/// what code runs or where its traffic and trust go: the dynamic loader (`LD_*`), interpreters
/// (`PYTHON*`, `NODE_OPTIONS`, `PERL5*`, `RUBY*`), shells (`ENV`, `BASH_ENV`, `IFS`, `SHELL`), nexus's own
/// (`NEXUS_*`), `PATH` and `HOME`, proxies (`*_PROXY` in either case) and TLS trust (`SSL_CERT_*`,
/// `*_CA_BUNDLE`). One rule for the manifest validator, `nexus creds set` and the vault at injection.
public enum ReservedEnvironment {
    static let exact: Set<String> = [
        "PATH", "HOME", "TMPDIR", "LANG", "TZ", "SHELL", "ENV", "BASH_ENV", "IFS", "CDPATH", "PS4", "PROMPT_COMMAND",
        "NODE_OPTIONS", "NODE_PATH", "GCONV_PATH", "LOCPATH", "HOSTALIASES", "RESOLV_HOST_CONF", "GIT_SSH_COMMAND",
        "GIT_EXEC_PATH", "CURL_HOME", "WGETRC", "OPENSSL_CONF", "NO_PROXY",
    ]
    static let prefixes = [
        "LD_", "PYTHON", "NEXUS_", "PERL5", "PERLLIB", "RUBY", "GEM_", "MALLOC_", "GLIBC_", "SSL_CERT_", "DYLD_",
    ]
    static let suffixes = ["_PROXY", "_CA_BUNDLE"]

    /// Why `name` may not be set for a module (compared without regard to case), or nil when it may.
    public static func problem(_ name: String) -> String? {
        let upper = name.uppercased()
        if exact.contains(upper) { return "is reserved by nexus (it changes how the module's process runs)" }
        for p in prefixes where upper.hasPrefix(p) {
            return "is reserved by nexus (no \(p)* names: they change what code runs or what it trusts)"
        }
        for s in suffixes where upper.hasSuffix(s) {
            return "is reserved by nexus (no *\(s) names: they redirect the module's traffic or trust)"
        }
        return nil
    }
}
