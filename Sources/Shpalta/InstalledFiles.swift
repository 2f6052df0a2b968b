import Foundation

/// Finds the files that travel with the binary (the default theme with its locales, the demo newspaper) whether it
/// runs from the source checkout or from where `make install` put it (`PREFIX/lib/shpalta/`, beside the binary, with
/// `PREFIX/bin/shpalta` a link to it).
enum InstalledFiles {
    /// The folder holding the running binary, links resolved.
    static let binaryDirectory: String? = {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            return nil
        }
        return (path as NSString).deletingLastPathComponent
    }()

    /// `relative` as it is when it exists from the working directory (a checkout, or an operator's own copy), else
    /// the same path beside the binary when it exists there, else `relative` unchanged (and the error that follows
    /// names it).
    static func locate(_ relative: String) -> String {
        let files = FileManager.default
        if (relative as NSString).isAbsolutePath || files.fileExists(atPath: relative) { return relative }
        if let binaryDirectory {
            let beside = (binaryDirectory as NSString).appendingPathComponent(relative)
            if files.fileExists(atPath: beside) { return beside }
        }
        return relative
    }
}
