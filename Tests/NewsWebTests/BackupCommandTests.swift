import Foundation
import Logging
import NewsData
import NewsImport
import SQLKit
import TestSupport
import Testing

/// `shpalta backup` (issue #15), in the commands' suite: one process at a time.
extension CommandTests {
    @Test("backup copies a live SQLite site while it is written, checked, replacing the last copy only when whole")
    func backup() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build shpalta first")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shpalta-backup-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let site = directory + "/site.sqlite"
        let copy = directory + "/copy.sqlite"
        let total = 1500
        let corpus = (1...total).map { number in
            #"{"id": \#(number), "title": "Новина номер \#(number) про Львів", "body": "Текст новини \#(number).", "published_at": "2024-06-18T10:15:00+03:00"}"#
        }.joined(separator: "\n")
        try corpus.write(toFile: directory + "/in.jsonl", atomically: true, encoding: .utf8)

        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let database = try await Database.open(.sqlite(path: site), logger: logger)
        do {
            try await Migrator(database: database).migrate()
            // The site is written (small transactions, one after another) while the backup runs in another process.
            let writing = Task {
                try await JSONLImporter(
                    database: database, mediaStore: try DirectoryMediaStore(root: directory + "/media"), batchSize: 10,
                    logger: logger
                ).importFile(at: directory + "/in.jsonl")
            }
            let first = try await Self.run(["backup", copy, "--database", site])
            #expect(first.status == 0, "\(first.output)")
            #expect(first.output.contains("Backed up"), "\(first.output)")
            _ = try await writing.value
            let taken = try await Self.counts(copy)
            #expect(taken.check == "ok")
            #expect(taken.articles == taken.indexed, "one snapshot: every copied story is in the copied index")
            #expect(taken.articles <= total)
            #expect(!FileManager.default.fileExists(atPath: copy + ".partial"))

            // A second backup replaces the first, now with everything.
            let second = try await Self.run(["backup", copy, "--database", site])
            #expect(second.status == 0, "\(second.output)")
            // One self-contained file: SQLite's header says a rollback journal (1), not a write-ahead log (2).
            let header = try #require(FileHandle(forReadingAtPath: copy)).readData(ofLength: 20)
            #expect(header.prefix(15) == Data("SQLite format 3".utf8))
            #expect(header[18] == 1 && header[19] == 1, "journal mode of the copy: \(header[18]), \(header[19])")
            let whole = try await Self.counts(copy)
            #expect(whole.articles == total && whole.indexed == total && whole.check == "ok")
        } catch {
            await database.close()
            throw error
        }
        await database.close()

        // A destination that cannot be written: a clear error naming it, nothing left behind, the last copy intact.
        let unwritable = directory + "/no-such-folder/copy.sqlite"
        let failed = try await Self.run(["backup", unwritable, "--database", site])
        #expect(failed.status != 0)
        #expect(failed.output.contains(unwritable), "\(failed.output)")
        #expect(!FileManager.default.fileExists(atPath: unwritable + ".partial"))
        #expect(try await Self.counts(copy).articles == total)

        // No database at all.
        let missing = try await Self.run(["backup", copy, "--database", directory + "/none.sqlite"])
        #expect(missing.status != 0)
        #expect(missing.output.contains("none.sqlite"), "\(missing.output)")
        #expect(try await Self.counts(copy).articles == total, "the last copy is left as it was")

        // PostgreSQL: the recipe, with the password masked, and a failure status (nothing was backed up).
        let postgres = try await Self.run([
            "backup", "site.dump", "--database", "postgres://news:s3cret@db.example/news",
        ])
        #expect(postgres.status != 0)
        #expect(postgres.output.contains("pg_dump") && postgres.output.contains("pg_restore"), "\(postgres.output)")
        #expect(!postgres.output.contains("s3cret"))
    }

    /// The copy's stories, search index rows and integrity check.
    private static func counts(_ path: String) async throws -> (articles: Int, indexed: Int, check: String) {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let database = try await Database.open(.sqlite(path: path), logger: logger)
        do {
            let result = try await database.read { sql in
                let articles = try await sql.raw("SELECT COUNT(*) AS n FROM articles").first()?.decode(
                    column: "n", as: Int.self)
                let indexed = try await sql.raw("SELECT COUNT(*) AS n FROM search_index").first()?.decode(
                    column: "n", as: Int.self)
                let check = try await sql.raw("PRAGMA integrity_check").first()?.decode(
                    column: "integrity_check", as: String.self)
                return (articles ?? -1, indexed ?? -1, check ?? "")
            }
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }
}
