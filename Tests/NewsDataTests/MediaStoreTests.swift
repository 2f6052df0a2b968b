import Foundation
import NewsCore
import NewsData
import SQLKit
import TestSupport
import Testing

@Suite("Photo files and records")
struct MediaStoreTests {
    /// A store whose every write fails (a full disk).
    struct FullDisk: MediaStore {
        let inner: DirectoryMediaStore
        func put(_ data: Data, name: String) throws { throw DatabaseError("disk full") }
        func get(_ name: String) throws -> Data? { try inner.get(name) }
        func contains(_ name: String) -> Bool { inner.contains(name) }
        func tag(of name: String) -> String? { inner.tag(of: name) }
        func temporaryFile() throws -> URL { try inner.temporaryFile() }
        func put(fileAt url: URL, name: String) throws { throw DatabaseError("disk full") }
        func remove(_ name: String) { inner.remove(name) }
        func localFile(_ name: String) -> URL? { inner.localFile(name) }
    }

    static func media(_ file: String) -> Media {
        Media(file: file, mimeType: "image/png", width: 2, height: 3, credit: "Фото: тест", alt: "тест")
    }

    @Test("an upload is stored with its record or not at all", arguments: TestEngine.available)
    func allOrNothing(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, paths in
            let store = try DirectoryMediaStore(root: paths.media)
            let repository = MediaRepository(database: database)
            let newsroom = Newsroom(database: database)
            // The file cannot be written: no record either, and no temporary file left.
            let failing = try store.temporaryFile()
            try Data("png".utf8).write(to: failing)
            await #expect(throws: DatabaseError.self) {
                try await newsroom.addMedia(
                    Self.media("u-a.png"), file: failing, into: FullDisk(inner: store), by: .commandLine)
            }
            #expect(try await repository.list(limit: 60).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: failing.path))
            // The record cannot be written (its table is gone): no file either.
            let orphan = try store.temporaryFile()
            try Data("png".utf8).write(to: orphan)
            try await database.transaction { sql in try await sql.raw("ALTER TABLE media RENAME TO media_gone").run() }
            await #expect(throws: (any Error).self) {
                try await newsroom.addMedia(Self.media("u-b.png"), file: orphan, into: store, by: .commandLine)
            }
            #expect(!store.contains("u-b.png"))
            // What is stored gets a validator without being read, and it changes with the file.
            try Data("one".utf8).write(to: URL(fileURLWithPath: paths.media + "/x.png"))
            let first = try #require(store.tag(of: "x.png"))
            try Data("other".utf8).write(to: URL(fileURLWithPath: paths.media + "/x.png"))
            #expect(store.tag(of: "x.png") != first)
            #expect(store.tag(of: "missing.png") == nil)
        }
    }

    @Test("a stored file is replaced in one step, also from another file system")
    func replaces() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try DirectoryMediaStore(root: directory.path)
        let first = try store.temporaryFile()
        try Data("перший".utf8).write(to: first)
        try store.put(fileAt: first, name: "u-a.o320.jpg")
        let second = try store.temporaryFile()
        try Data("другий".utf8).write(to: second)
        try store.put(fileAt: second, name: "u-a.o320.jpg")
        #expect(try store.get("u-a.o320.jpg") == Data("другий".utf8))
        #expect(
            !FileManager.default.fileExists(atPath: first.path) && !FileManager.default.fileExists(atPath: second.path))
        // /dev/shm is another file system on Linux: the file is copied in, then renamed.
        let elsewhere = URL(
            fileURLWithPath: FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        )
        .appendingPathComponent("shpalta-" + UUID().uuidString)
        try Data("третій".utf8).write(to: elsewhere)
        try store.put(fileAt: elsewhere, name: "u-a.o320.jpg")
        #expect(try store.get("u-a.o320.jpg") == Data("третій".utf8))
        #expect(!FileManager.default.fileExists(atPath: elsewhere.path))
        // Nothing but the photo is left in the directory (hidden upload files included).
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["u-a.o320.jpg"])
    }
}
