import Foundation
import NewsCore
import NewsData
import SQLKit
import TestSupport
import Testing

@Suite("Migrations")
struct MigrationTests {
    @Test("apply once, record themselves and are idempotent", arguments: TestEngine.available)
    func idempotent(engine: TestEngine) async throws {
        try await TestDatabase.with(engine, migrate: false) { database, _ in
            let migrator = Migrator(database: database)
            let first = try await migrator.migrate()
            #expect(first == Schema.migrations.map(\.number))
            let second = try await migrator.migrate()
            #expect(second.isEmpty)
            #expect(try await migrator.appliedMigrations() == Schema.migrations.map(\.number))
            // The schema is usable: the feed query runs on an empty database.
            let page = try await ArticleRepository(database: database).feed()
            #expect(page.items.isEmpty && page.next == nil)
        }
    }

    @Test("run concurrently from two handles without applying twice", arguments: TestEngine.available)
    func concurrent(engine: TestEngine) async throws {
        try await TestDatabase.with(engine, migrate: false) { database, _ in
            async let a = Migrator(database: database).migrate()
            async let b = Migrator(database: database).migrate()
            let applied = try await a + b
            #expect(applied.sorted() == Schema.migrations.map(\.number))
        }
    }
}

@Suite("Opening a database")
struct DatabaseOpenTests {
    @Test("an unreadable SQLite file is a clear error naming the path")
    func unreadable() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shpalta-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // A directory where the file should be cannot be opened as a database.
        let path = directory.appendingPathComponent("db.sqlite").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let error = await #expect(throws: DatabaseError.self) { try await Database.open(.sqlite(path: path)) }
        #expect(error?.description.contains(path) == true)
    }

    @Test("a file that is not a database is a clear error naming the path")
    func notADatabase() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shpalta-\(UUID().uuidString).sqlite")
            .path
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = await #expect(throws: DatabaseError.self) {
            let database = try await Database.open(.sqlite(path: path))
            try await Migrator(database: database).migrate()
        }
        #expect(error?.description.contains(path) == true)
    }

    @Test("a database locked by another writer is a clear error naming the path")
    func locked() async throws {
        try await TestDatabase.with(.sqlite, migrate: true) { database, paths in
            let path = paths.directory + "/test.sqlite"
            // Hold the write lock until the second opener has given up; open only once it is held.
            // (Fixed waits are not enough on a busy machine: the lock could end while the opener still waits.)
            let (held, lockHeld) = AsyncStream<Void>.makeStream()
            let (released, release) = AsyncStream<Void>.makeStream()
            let holder = Task {
                try await database.transaction { sql in
                    try await sql.raw("INSERT INTO settings (key, value) VALUES ('lock', 'held')").run()
                    lockHeld.yield()
                    var waitingForRelease = released.makeAsyncIterator()
                    _ = await waitingForRelease.next()
                }
            }
            defer { release.finish() }
            var waiting = held.makeAsyncIterator()
            _ = await waiting.next()
            do {
                let opened = try await Database.open(.sqlite(path: path))
                await opened.close()
                Issue.record("a database locked by another writer was opened")
            } catch let error as DatabaseError {
                #expect(error.description.contains(path))
                #expect(error.description.contains("locked"))
            }
            release.finish()
            try await holder.value
        }
    }

    @Test("a PostgreSQL server that does not answer is a clear error naming it")
    func unreachablePostgres() async throws {
        let error = await #expect(throws: DatabaseError.self) {
            try await Database.open(.postgres(url: "postgres://user:secret@127.0.0.1:1/news"))
        }
        #expect(error?.description.contains("127.0.0.1:1") == true)
        #expect(error?.description.contains("secret") == false)
    }

    @Test("--database values are read as SQLite paths or PostgreSQL URLs")
    func locations() {
        #expect(DatabaseLocation("./data/x.sqlite") == .sqlite(path: "./data/x.sqlite"))
        #expect(DatabaseLocation("postgres://a:b@h:5432/d") == .postgres(url: "postgres://a:b@h:5432/d"))
        #expect(DatabaseLocation("postgresql://h/d") == .postgres(url: "postgresql://h/d"))
        #expect(DatabaseLocation("postgres://a:b@h:5432/d").description == "postgres://a:***@h:5432/d")
    }
}
