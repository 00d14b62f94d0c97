/// The command line of `nexus-admin`, as `AdminFront` writes it: where to listen, the channel's descriptor,
/// the body cap and the idle timeout. Anything else is a usage error (the front is started only by nexus).
struct FrontOptions {
    var channelFD: Int32 = 3
    var host = "127.0.0.1"
    var port = 8003
    var maxBodyBytes = 64 * 1024
    var idleTimeoutSeconds = 30

    static let usage =
        "usage: nexus-admin --channel-fd N --host ADDR --port N --max-body BYTES --idle-timeout SECONDS"
        + " (started by nexus for its admin server; not meant to be run by hand)"

    init(_ arguments: [String]) throws(UsageError) {
        var i = 0
        while i < arguments.count {
            let flag = arguments[i]
            guard i + 1 < arguments.count else { throw UsageError(text: "\(flag): missing value") }
            let value = arguments[i + 1]
            switch flag {
            case "--channel-fd": channelFD = try Self.number(flag, value, 3...1024)
            case "--host": host = value
            case "--port": port = try Self.number(flag, value, 0...65535)
            case "--max-body": maxBodyBytes = try Self.number(flag, value, 1...(8 * 1024 * 1024))
            case "--idle-timeout": idleTimeoutSeconds = try Self.number(flag, value, 1...86_400)
            default: throw UsageError(text: "unknown option \(flag.prefix(40))")
            }
            i += 2
        }
    }

    static func number<T: FixedWidthInteger>(_ flag: String, _ value: String, _ range: ClosedRange<T>)
        throws(UsageError) -> T
    {
        guard let n = T(value), range.contains(n) else {
            throw UsageError(text: "\(flag) \(value.prefix(20)): expected \(range.lowerBound)...\(range.upperBound)")
        }
        return n
    }

    struct UsageError: Error {
        var text: String
    }
}
