import Foundation

/// Where photo files live: a directory, which several nodes share by pointing at one network share (every write is
/// a rename inside it, so no node reads half a file). Another store can take its place behind this interface.
public protocol MediaStore: Sendable {
    /// Stores `data` under `name` (a bare file name), replacing a file of that name.
    func put(_ data: Data, name: String) throws
    /// The bytes stored under `name`, or `nil`.
    func get(_ name: String) throws -> Data?
    /// Whether a file `name` is stored.
    func contains(_ name: String) -> Bool
    /// A validator of the stored file `name` that changes whenever the file does (for ETags), found without
    /// reading the file; `nil` when there is no such file.
    func tag(of name: String) -> String?
    /// A new, empty place for an upload in progress, never served (uploads stream there, not into memory).
    func temporaryFile() throws -> URL
    /// Stores the finished upload at `url` under `name` (moving it).
    func put(fileAt url: URL, name: String) throws
    /// Removes the file `name`, if stored.
    func remove(_ name: String)
    /// A path on this machine where libvips can read the stored file `name`, or `nil` when there is none.
    func localFile(_ name: String) -> URL?
}

/// A `MediaStore` in a directory on disk.
public struct DirectoryMediaStore: MediaStore {
    public let root: URL

    /// Creates the store, making the directory when missing.
    public init(root: String) throws {
        self.root = URL(fileURLWithPath: root, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: self.root, withIntermediateDirectories: true)
        } catch {
            throw DatabaseError("Cannot create the media directory \(root): \(error.localizedDescription)")
        }
    }

    /// Whether `name` is a plain file name (no directories, no hidden files).
    public static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 200 && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\\")
            && !name.contains("\0")
    }

    public func put(_ data: Data, name: String) throws {
        guard Self.isSafeName(name) else { throw DatabaseError("Unsafe media file name: \(name)") }
        try data.write(to: root.appendingPathComponent(name), options: .atomic)
    }

    public func get(_ name: String) throws -> Data? {
        guard Self.isSafeName(name) else { return nil }
        let url = root.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try Data(contentsOf: url)
    }

    public func contains(_ name: String) -> Bool {
        Self.isSafeName(name) && FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path)
    }

    public func tag(of name: String) -> String? {
        guard Self.isSafeName(name),
            let attributes = try? FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(name).path),
            let size = attributes[.size] as? NSNumber, let modified = attributes[.modificationDate] as? Date
        else { return nil }
        return String(size.int64Value, radix: 16) + "-"
            + String(Int64(modified.timeIntervalSince1970 * 1000), radix: 16)
    }

    public func temporaryFile() throws -> URL {
        // A hidden name: `isSafeName` refuses it, so it is never served or overwritten by a real photo.
        let url = root.appendingPathComponent(".upload-" + UUID().uuidString)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw DatabaseError("Cannot create an upload file in \(root.path).")
        }
        return url
    }

    public func localFile(_ name: String) -> URL? {
        guard contains(name) else { return nil }
        return root.appendingPathComponent(name)
    }

    public func put(fileAt url: URL, name: String) throws {
        guard Self.isSafeName(name) else { throw DatabaseError("Unsafe media file name: \(name)") }
        // One rename, replacing any file of that name: a reader (on this node or another) sees the old file or
        // the new one, never none.
        let target = root.appendingPathComponent(name).path
        if rename(url.path, target) == 0 { return }
        guard errno == EXDEV else {
            throw DatabaseError("Cannot store the media file \(name): \(String(cString: strerror(errno)))")
        }
        // From another file system: copied beside the photos first, then renamed.
        let nearby = try temporaryFile()
        try FileManager.default.removeItem(at: nearby)
        try FileManager.default.copyItem(at: url, to: nearby)
        try? FileManager.default.removeItem(at: url)
        guard rename(nearby.path, target) == 0 else {
            try? FileManager.default.removeItem(at: nearby)
            throw DatabaseError("Cannot store the media file \(name): \(String(cString: strerror(errno)))")
        }
    }

    public func remove(_ name: String) {
        guard Self.isSafeName(name) else { return }
        try? FileManager.default.removeItem(at: root.appendingPathComponent(name))
    }
}
