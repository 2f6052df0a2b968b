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
            let name = paths.directory + "/test.sqlite"
            let database = try await StepWatch.run("open", of: name) {
                try await Database.open(.sqlite(path: name), logger: logger)
            }
            do {
                if migrate {
                    try await StepWatch.run("migrate", of: name) { try await Migrator(database: database).migrate() }
                }
                let result = try await body(database, paths)
                await StepWatch.run("close", of: name) { await database.close() }
                return result
            } catch {
                await StepWatch.run("close", of: name) { await database.close() }
                throw error
            }
        case .postgres:
            guard let adminURL = TestEngine.postgresURL, var parts = URLComponents(string: adminURL) else {
                throw DatabaseError("SHPALTA_TEST_POSTGRES is not set")
            }
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            // The server's own database is used for a moment at each end, not held through the test. Many tests
            // run at once: small pools keep the server under its connection limit.
            func administer(_ step: String, _ statement: SQLQueryString) async throws {
                try await StepWatch.run(step, of: name) {
                    let admin = try await Database.open(.postgres(url: adminURL), maxConnections: 1, logger: logger)
                    do {
                        try await admin.read { try await $0.raw(statement).run() }
                    } catch {
                        await admin.close()
                        throw error
                    }
                    await admin.close()
                }
            }
            try await administer("create the database", "CREATE DATABASE \(ident: name)")
            parts.path = "/" + name
            let database = try await StepWatch.run("open the test pool", of: name) {
                try await Database.open(.postgres(url: parts.string!), maxConnections: 3, logger: logger)
            }
            func cleanup() async {
                await StepWatch.run("close the test pool", of: name) { await database.close() }
                // Give the pool a moment to close its connections before dropping.
                try? await Task.sleep(for: .milliseconds(50))
                try? await administer("drop the database", "DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)")
            }
            do {
                if migrate {
                    try await StepWatch.run("migrate", of: name) { try await Migrator(database: database).migrate() }
                }
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

/// Names a step of the tests' own setup that takes minutes, on standard error: a hang there says where it is.
enum StepWatch {
    @discardableResult
    static func run<T>(_ step: String, of name: String, _ body: () async throws -> T) async rethrows -> T {
        let watch = Task.detached {
            var minutes = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(60))
                if Task.isCancelled { return }
                minutes += 1
                FileHandle.standardError.write(
                    Data("TestDatabase: '\(step)' of \(name) has taken \(minutes) min so far\n".utf8))
            }
        }
        defer { watch.cancel() }
        return try await body()
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
