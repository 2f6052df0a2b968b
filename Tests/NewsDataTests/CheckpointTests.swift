import Foundation
import NewsData
import SQLKit
import SQLiteKit
import Testing

/// SQLite's write-ahead log is copied into the database file by a checkpointer of our own (`SQLiteCheckpointer`):
/// in the background, and by the writer only when the log keeps growing.
@Suite("SQLite checkpoints")
struct CheckpointTests {
    /// A fresh directory for one database file, removed afterwards.
    private func withDirectory(_ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shpalta-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory.appendingPathComponent("db.sqlite").path)
    }

    private func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// The size of the file at `path` once it reaches `bytes`, or after 10 s.
    private func size(_ path: String, reaching bytes: Int) async throws -> Int {
        var waited = 0
        while size(path) < bytes, waited < 200 {
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        return size(path)
    }

    /// Writes `count` transactions of a 88 KB row each (SQLite stores text as it is: 22 pages a row).
    private func write(_ count: Int, to database: Database, from start: Int = 0) async throws {
        let text = String(repeating: "x", count: 88 * 1024)
        for index in start..<(start + count) {
            try await database.transaction { sql in
                try await sql.raw("INSERT INTO scratch (id, bytes) VALUES (\(bind: index), \(bind: text))").run()
            }
        }
    }

    /// A database at `path` with these checkpoint settings and an empty table to write to.
    private func scratch(at path: String, backgroundPages: Int32, writerPages: Int32) async throws -> Database {
        let database = try await Database.open(
            .sqlite(path: path),
            checkpoints: SQLiteCheckpoints(backgroundPages: backgroundPages, writerPages: writerPages))
        try await database.transaction { sql in
            try await sql.raw("CREATE TABLE scratch (id INTEGER PRIMARY KEY, bytes TEXT NOT NULL)").run()
        }
        return database
    }

    private func rows(in database: Database) async throws -> Int {
        try await database.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM scratch").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    @Test("the log reaches the database file in the background, with the writer never checkpointing")
    func background() async throws {
        try await withDirectory { path in
            let database = try await scratch(at: path, backgroundPages: 64, writerPages: 1_000_000)
            let before = size(path)
            try await write(40, to: database)
            // About 3.6 MB were committed; the writer leaves them in the log, so only the background checkpoints can
            // bring them into the file while the database is open (what the last commits added while a checkpoint
            // ran, by its retry).
            #expect(try await size(path, reaching: before + 3_500_000) >= before + 3_500_000)
            #expect(try await rows(in: database) == 40)
            await database.close()
            // The last connection's close checkpoints what is left and removes the log.
            #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
            let reopened = try await Database.open(.sqlite(path: path))
            #expect(try await rows(in: reopened) == 40)
            await reopened.close()
        }
    }

    @Test("the log of the last commits is copied once a reader that held it back is done, with no commit after it")
    func afterReader() async throws {
        try await withDirectory { path in
            let database = try await scratch(at: path, backgroundPages: 64, writerPages: 1_000_000)
            let before = size(path)
            // Another process reads the database from before the writes: no checkpoint can copy them meanwhile.
            let reader = try await SQLiteConnection.open(storage: .file(path: path))
            try await reader.query("BEGIN", [], { _ in })
            try await reader.query("SELECT COUNT(*) FROM scratch", [], { _ in })
            try await write(40, to: database)
            try await Task.sleep(for: .milliseconds(300))
            #expect(size(path) < before + 1_000_000)
            try await reader.query("COMMIT", [], { _ in })
            try await reader.close()
            // No commit follows, yet all 3.6 MB reach the file while the database stays open.
            #expect(try await size(path, reaching: before + 3_500_000) >= before + 3_500_000)
            #expect(try await rows(in: database) == 40)
            await database.close()
        }
    }

    @Test("a writer that never pauses keeps the log short: it finishes what the background checkpoints copied")
    func bounded() async throws {
        try await withDirectory { path in
            let database = try await scratch(at: path, backgroundPages: 32, writerPages: 256)
            var longest = 0
            for round in 0..<20 {
                try await write(5, to: database, from: round * 5)
                longest = max(longest, size(path + "-wal"))
            }
            // 100 transactions of 22 pages each (8.8 MB): the log starts again after the writer's checkpoints, so it
            // holds a few hundred pages at most, never everything written.
            #expect(longest > 0)
            #expect(longest < 2_500_000)
            #expect(try await rows(in: database) == 100)
            await database.close()
            let reopened = try await Database.open(.sqlite(path: path))
            #expect(try await rows(in: reopened) == 100)
            await reopened.close()
        }
    }
}
