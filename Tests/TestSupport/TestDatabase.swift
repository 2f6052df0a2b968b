import Foundation
import Logging
import NewsData
import SQLKit

/// The database engines a test runs on: SQLite always, PostgreSQL when `SHPALTA_TEST_POSTGRES` names a
/// server (as `make test` does, inside a throw-away `pg_virtualenv` cluster).
public enum TestEngine: String, Sendable, CaseIterable {
    case sqlite
    case postgres

    /// The admin URL of the test PostgreSQL server, if any.
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["SHPALTA_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The engines available here. `make test` sets `SHPALTA_TEST_POSTGRES`, and with
    /// `SHPALTA_REQUIRE_POSTGRES=1` a missing server is a failure, not a skip.
    public static var available: [TestEngine] {
        if postgresURL != nil { return [.sqlite, .postgres] }
        if ProcessInfo.processInfo.environment["SHPALTA_REQUIRE_POSTGRES"] == "1" {
            fatalError("SHPALTA_REQUIRE_POSTGRES=1 but SHPALTA_TEST_POSTGRES is not set")
        }
        return [.sqlite]
    }

}

/// A fresh, migrated database for one test: a new SQLite file, or a new PostgreSQL database created
/// for the test and dropped after it.
public enum TestDatabase {
    /// Runs `body` with a new migrated database on `engine`, then removes it. `logger` (if given) receives what
    /// the database logs, queries included at debug level.
    public static func with<T: Sendable>(
        _ engine: TestEngine, migrate: Bool = true, logger given: Logger? = nil,
        _ body: (Database, TestPaths) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "shpalta-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = TestPaths(directory: directory.path)
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        if let given { logger = given }
        switch engine {
        case .sqlite:
            let database = try await Database.open(.sqlite(path: paths.directory + "/test.sqlite"), logger: logger)
            do {
                if migrate { try await Migrator(database: database).migrate() }
                let result = try await body(database, paths)
                await database.close()
                return result
            } catch {
                await database.close()
                throw error
            }
        case .postgres:
            guard let adminURL = TestEngine.postgresURL, var parts = URLComponents(string: adminURL) else {
                throw DatabaseError("SHPALTA_TEST_POSTGRES is not set")
            }
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            // Many tests run at once: small pools keep the server under its connection limit.
            let admin = try await Database.open(.postgres(url: adminURL), maxConnections: 1, logger: logger)
            try await admin.read { try await $0.raw("CREATE DATABASE \(ident: name)").run() }
            parts.path = "/" + name
            let database = try await Database.open(.postgres(url: parts.string!), maxConnections: 3, logger: logger)
            func cleanup() async {
                await database.close()
                // Give the pool a moment to close its connections before dropping.
                try? await Task.sleep(for: .milliseconds(50))
                _ = try? await admin.read {
                    try await $0.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run()
                }
                await admin.close()
            }
            do {
                if migrate { try await Migrator(database: database).migrate() }
                let result = try await body(database, paths)
                await cleanup()
                return result
            } catch {
                await cleanup()
                throw error
            }
        }
    }
}

/// Scratch folders of one test.
public struct TestPaths: Sendable {
    public let directory: String
    public var media: String { directory + "/media" }
}

/// Files of the repository that tests read (the demo content, the default theme).
public enum Repository {
    /// The repository's root folder.
    public static var root: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }
    public static var demo: String { root + "/Demo" }
    public static var theme: String { root + "/Themes/default" }
}
