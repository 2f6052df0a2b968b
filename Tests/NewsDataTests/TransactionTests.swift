import Foundation
import NewsData
import SQLKit
import Synchronization
import TestSupport
import Testing

/// A transaction is all or nothing, also when its task is cancelled half-way (a client that leaves, a service
/// stopping at shutdown), and the connection it ran on is fit for the next one.
@Suite("Transactions")
struct TransactionTests {
    static func cursors(_ database: Database) async throws -> [String] {
        try await database.read { sql in
            try await sql.raw("SELECT subscriber FROM event_cursors ORDER BY subscriber").all().map {
                try $0.decode(column: "subscriber", as: String.self)
            }
        }
    }

    @Test("one cancelled half-way stores nothing, and the next write works", arguments: TestEngine.available)
    func cancelled(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let started = AsyncStream<Void>.makeStream()
            let task = Task {
                try await database.transaction { sql in
                    try await sql.raw("INSERT INTO event_cursors (subscriber, last_id) VALUES ('cancelled', 1)").run()
                    started.continuation.yield()
                    try await Task.sleep(for: .seconds(30))
                }
            }
            var iterator = started.stream.makeAsyncIterator()
            _ = await iterator.next()
            task.cancel()
            #expect(await task.result.error is CancellationError)
            // Every later transaction works, on every connection a pool may hand out.
            for index in 0..<5 {
                try await database.transaction { sql in
                    try await sql.raw(
                        "INSERT INTO event_cursors (subscriber, last_id) VALUES (\(bind: "after-\(index)"), 1)"
                    ).run()
                }
            }
            #expect(try await Self.cursors(database) == (0..<5).map { "after-\($0)" })
        }
    }

    /// PostgreSQL ends the connection in the middle of a transaction (a restart, a cut network): the statements
    /// after that fail at once as unavailable rather than wait forever for an answer, nothing of the transaction is
    /// stored, and the next transaction works on another connection.
    @Test("one whose connection the server ended fails at once", .enabled(if: TestEngine.postgresURL != nil))
    func connectionEnded() async throws {
        try await TestDatabase.with(.postgres) { database, _ in
            let outcome = Mutex<Result<Void, any Error>?>(nil)
            let task = Task {
                let result = await Result {
                    try await database.transaction { sql in
                        try await sql.raw("INSERT INTO event_cursors (subscriber, last_id) VALUES ('lost', 1)").run()
                        _ = try? await sql.raw("SELECT pg_terminate_backend(pg_backend_pid())").run()
                        try await Task.sleep(for: .milliseconds(200))
                        try await sql.raw("SELECT 1").run()
                    }
                }
                outcome.withLock { $0 = result }
            }
            // Waits at most 10 s: a statement that is never answered leaves its task behind, deaf to cancellation.
            for _ in 0..<100 where outcome.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(100)) }
            let result = try #require(outcome.withLock { $0 }, "The transaction did not end within 10 s")
            await task.value
            #expect(result.error.map(Database.isUnavailable) == true)
            try await database.transaction { sql in
                try await sql.raw("INSERT INTO event_cursors (subscriber, last_id) VALUES ('after', 1)").run()
            }
            #expect(try await Self.cursors(database) == ["after"])
        }
    }
}

extension Result where Failure == any Error {
    /// The result of `body`, which may suspend.
    fileprivate init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

extension Result {
    fileprivate var error: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
