import Testing

@testable import NewsData

/// Closing a PostgreSQL pool waits for its task a bounded time (PostgresNIO's pool at times never finishes after
/// cancellation): a shutdown or a test ends either way.
@Suite("Closing a database")
struct DatabaseCloseTests {
    @Test("a task that finishes is waited for; one that never does is left after the limit")
    func boundedWait() async throws {
        let quick = Task<Void, Never> { try? await Task.sleep(for: .milliseconds(10)) }
        #expect(await Database.finishes(quick, within: .seconds(300)))
        let stuck = Task<Void, Never> { try? await Task.sleep(for: .seconds(3600)) }
        #expect(!(await Database.finishes(stuck, within: .milliseconds(200))))
        #expect(!stuck.isCancelled, "the task is left as it was")
        stuck.cancel()
    }

}
