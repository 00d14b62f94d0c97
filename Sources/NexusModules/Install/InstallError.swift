import NexusCore
import NexusPOSIX

/// Why an install, upgrade, rollback or removal was refused or failed.
public enum InstallError: UserFacingError, Equatable {
    case sourceMissing(String)
    case nameTaken(name: String, existingCategory: String, newCategory: String)
    case notApproved(name: String)
    case contentChangedDuringInstall(name: String)
    case versionModified(name: String, seq: Int)
    case linkLeavesFolder(path: String)
    /// The folder holds more than `[modules] max_folder_mb`: its size, the largest file and its size, the limit.
    case folderTooLarge(folder: String, bytes: Int, largest: String, largestBytes: Int, limitMB: Int)
    case io(String)

    public var userMessage: String {
        switch self {
        case .sourceMissing(let p): "\(p): no module folder here (manifest.json missing)"
        case .nameTaken(let n, let e, let c):
            "module name \(n) is already installed in category \(e); cannot install it again under \(c)"
        case .notApproved(let n): "install of module \(n) was not approved"
        case .contentChangedDuringInstall(let n): "module \(n): its files changed while being installed"
        case .versionModified(let n, let s): "module \(n): its kept version v\(s) no longer matches its approved sha256"
        case .linkLeavesFolder(let p): "\(p): a symbolic link that points outside the module folder"
        case .folderTooLarge(let f, let bytes, let largest, let largestBytes, let limit):
            "\(f): the module folder holds \(Self.megabytes(bytes)), over the \(limit) MB a module may hold; its "
                + "largest file is \(largest) (\(Self.megabytes(largestBytes)))"
        case .io(let m): m
        }
    }

    /// A module tree's copy failure as the person needs it: an outward link is the folder's content, not a
    /// permission problem (FileSystemError's EPERM hint would say so).
    static func copying(_ error: FileSystemError) -> any Error {
        if case .io(let path, ModuleFiles.linkLeavesFolder, _) = error {
            return InstallError.linkLeavesFolder(path: path)
        }
        return error
    }

    public var hint: String? {
        switch self {
        case .nameTaken:
            "choose another name in manifest.json, or remove the installed one first (nexus modules remove NAME)"
        case .notApproved: "nothing was installed; run it again and answer y (a script passes --yes)"
        case .contentChangedDuringInstall: "try again once the folder is no longer being written"
        case .linkLeavesFolder:
            "a module is installed with its files only: replace the link with the file, or remove it"
        case .folderTooLarge:
            "a module folder holds its code: move data out of it (a manifest's filesystem.read or --read PATH "
                + "grants a path), or raise [modules] max_folder_mb in nexus.toml"
        default: nil
        }
    }

    /// `57.2 MB` (MB = 2^20 bytes, as the limit counts them).
    static func megabytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + (1 << 19)) >> 20
        return "\(tenths / 10).\(tenths % 10) MB"
    }

    public var exitCode: ExitStatus {
        switch self {
        case .notApproved: .approvalNeeded
        case .sourceMissing, .nameTaken, .linkLeavesFolder, .folderTooLarge: .usage
        default: .failure
        }
    }
}
