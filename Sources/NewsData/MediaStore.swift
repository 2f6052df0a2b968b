import Foundation

/// Where photo files live. Today a directory; a database-backed store (so every node of a cluster
/// serves every image) can take its place behind the same interface.
public protocol MediaStore: Sendable {
    /// Stores `data` under `name` (a bare file name), replacing a file of that name.
    func put(_ data: Data, name: String) throws
    /// The bytes stored under `name`, or `nil`.
    func get(_ name: String) throws -> Data?
    /// Whether a file `name` is stored.
    func contains(_ name: String) -> Bool
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
}
