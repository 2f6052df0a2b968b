import Foundation
import NewsData
import SQLKit
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
}

extension Result {
    fileprivate var error: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
