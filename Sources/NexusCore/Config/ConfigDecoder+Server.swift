/// `[server]`: whether the admin server starts with chat, its port and its bind address (issue 16).
extension ConfigDecoder {
    mutating func decodeServer(_ v: TOMLValue) throws(ConfigError) {
        let t = try table(v, "server")
        warnUnknownKeys(in: t, path: "server", known: Self.serverKeys)
        if let x = t["admin"] { config.server.admin = try bool(x, "server.admin") }
        if let p = t["admin_port"] { config.server.adminPort = try int(p, "server.admin_port", in: 1...65535) }
        if let b = t["bind"] {
            let s = try string(b, "server.bind")
            guard !s.isEmpty, s.utf8.count <= 255, !s.contains(where: { $0 == " " || $0 == "/" }) else {
                throw fail(b, "server.bind", expected: "an IP address or host name, like 127.0.0.1")
            }
            config.server.bind = s
        }
    }
}
