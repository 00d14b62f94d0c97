#if canImport(Glibc)
    import Glibc
#endif

/// A freshly opened pseudo-terminal: the master descriptor we read and write, and the slave's path a
/// child opens as its terminal.
///
/// `posix_openpt`/`grantpt`/`ptsname` sit behind `_XOPEN_SOURCE`, which Swift's Glibc module does not
/// define; the two ioctls they wrap are enough.
public struct PseudoTerminalPair {
    public let master: Int32
    public let slavePath: String

    /// Opens `/dev/ptmx` and unlocks the slave; nil when the system has no pseudo-terminals.
    public init?() {
        let fd = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(fd, 0x4004_5431 /* TIOCSPTLCK */, &unlock) == 0,
            ioctl(fd, 0x8004_5430 /* TIOCGPTN */, &number) == 0
        else {
            _ = Glibc.close(fd)
            return nil
        }
        master = fd
        slavePath = "/dev/pts/\(number)"
    }

    /// Options that make the slave a child's stdin, stdout and stderr in a new session.
    public func childOptions(environment: [String: String]?) -> SpawnOptions {
        SpawnOptions(
            stdin: .readWrite(path: slavePath), stdout: .readWrite(path: slavePath),
            stderr: .readWrite(path: slavePath),
            environment: environment, grouping: .newSession)
    }

    public func close() { _ = Glibc.close(master) }
}
