#if canImport(Glibc)
    import Glibc
#endif

/// glibc functions Swift's Glibc module does not import (they sit behind `_GNU_SOURCE`), looked up once
/// at run time: `pipe2` (close-on-exec pipes without a race), `posix_spawn_file_actions_addchdir_np`
/// (the child's working directory), `posix_spawn_file_actions_addclosefrom_np` and `renameat2` (atomic directory swap).
public enum GNULibC {
    public typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
    public typealias AddChdir =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32
    public typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    public typealias RenameAt2 =
        @convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        guard let handle = dlopen(nil, RTLD_NOW) else { return nil }
        return dlsym(handle, name)
    }

    public static let pipe2: Pipe2? = symbol("pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
    public static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np").map {
        unsafeBitCast($0, to: AddChdir.self)
    }
    /// glibc ≥ 2.34: close every descriptor from a number up in a spawned child.
    public static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: AddCloseFrom.self)
    }
    public static let renameat2: RenameAt2? = symbol("renameat2").map { unsafeBitCast($0, to: RenameAt2.self) }

    /// A close-on-exec pipe: [read, write].
    public static func cloexecPipe() -> [Int32]? {
        var fds: [Int32] = [-1, -1]
        if let pipe2 {
            let rc = fds.withUnsafeMutableBufferPointer { pipe2($0.baseAddress, O_CLOEXEC) }
            return rc == 0 ? fds : nil
        }
        guard pipe(&fds) == 0 else { return nil }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return fds
    }
}
