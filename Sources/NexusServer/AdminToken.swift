import NexusCore
import NexusPOSIX

/// The admin API's bearer token, kept in `$NEXUS_HOME/admin.token` (mode 0600).
///
/// Created on the first start with 32 random bytes as hex; never printed or logged (the docs say where it
/// is: `Authorization: Bearer $(cat ~/.nexus/admin.token)`). A token file others can read is refused.
public enum AdminToken {
    public static let fileName = "admin.token"

    /// The token at `home/admin.token`, creating it when missing.
    public static func loadOrCreate(home: String) throws -> String {
        let path = home + "/" + fileName
        if FileSystem.exists(path) {
            if let mode = FileSystem.mode(of: path), mode & 0o077 != 0 {
                throw NexusError(
                    "\(path): readable by other users (mode \(String(mode & 0o777, radix: 8)))",
                    hint: "chmod 600 \(path), or remove it and a new token is made", exit: .usage)
            }
            let text = try FileSystem.readText(path, limit: 4096).trimmingSpaces
            guard text.count >= 32 else {
                throw NexusError(
                    "\(path): shorter than 32 characters", hint: "remove it and a new token is made", exit: .usage)
            }
            return text
        }
        let token = fresh()
        try FileSystem.writeAtomically(path, text: token + "\n", mode: 0o600)
        return token
    }

    /// 32 random bytes as 64 hex digits.
    public static func fresh() -> String {
        var rng = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef")
        var out = ""
        for _ in 0..<32 {
            let b = UInt8.random(in: 0...255, using: &rng)
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 15)])
        }
        return out
    }

    /// Compares without an early exit, so timing does not tell how much of a guess was right.
    public static func matches(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8)
        let b = Array(expected.utf8)
        var diff = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<b.count { diff |= (i < a.count ? a[i] : 0) ^ b[i] }
        return diff == 0
    }
}
