import Foundation
import NewsCore
import NewsData
import Synchronization
import TestSupport
import Testing

/// Other nodes hear of a change as soon as it commits (issue #15): on PostgreSQL each transaction that records change
/// events notifies the listeners; a dispatcher waits on a ``WakeSignal`` between passes.
@Suite("Change notifications")
struct ChangeNotificationTests {
    struct Rollback: Error {}

    /// What the listener was told, from its callbacks.
    final class Heard: Sendable {
        private let notifications = Atomic<Int>(0)
        private let listens = Atomic<Bool>(false)
        var count: Int { notifications.load(ordering: .relaxed) }
        var listening: Bool { listens.load(ordering: .relaxed) }
        func notified() { notifications.add(1, ordering: .relaxed) }
        func set(listening: Bool) { listens.store(listening, ordering: .relaxed) }
    }

    @Test(
        "a committed change wakes another process's listener once a transaction; a rolled-back one does not",
        arguments: TestEngine.available.filter { $0 == .postgres })
    func notified(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            #expect(database.notifiesChanges)
            let writer = try await Database.open(database.location, maxConnections: 2)
            let heard = Heard()
            let follower = Task {
                await database.followChanges(listening: { heard.set(listening: $0) }, notified: { heard.notified() })
            }
            func waitFor(_ condition: () -> Bool) async throws -> Bool {
                for _ in 0..<200 where !condition() { try await Task.sleep(for: .milliseconds(50)) }
                return condition()
            }
            do {
                try #require(try await waitFor { heard.listening }, "listening")
                // Two events in one transaction: one notification, when it commits.
                let newsroom = Newsroom(database: writer, users: UserRepository(database: writer, bcryptCost: 4))
                try await newsroom.changeSettings(["site_name": "Тест"], by: .commandLine)
                #expect(try await waitFor { heard.count >= 1 })
                let now = Date()
                try await writer.transaction { sql in
                    for _ in 0..<2 {
                        try await ChangeLog.record(
                            ChangeEvent(action: .settingsChanged, userID: nil, keys: [ChangeEvent.everyPage], at: now),
                            in: sql)
                    }
                }
                #expect(try await waitFor { heard.count >= 2 })
                try await Task.sleep(for: .milliseconds(500))
                #expect(heard.count == 2, "one notification a transaction")
                // Rolled back: nothing was recorded, so nobody is told.
                await #expect(throws: Rollback.self) {
                    try await writer.transaction { sql in
                        try await ChangeLog.record(
                            ChangeEvent(action: .settingsChanged, userID: nil, keys: [ChangeEvent.everyPage], at: now),
                            in: sql)
                        throw Rollback()
                    }
                }
                try await Task.sleep(for: .seconds(1))
                #expect(heard.count == 2)
            } catch {
                follower.cancel()
                await follower.value
                await writer.close()
                throw error
            }
            follower.cancel()
            await follower.value
            #expect(!heard.listening, "stopped listening when cancelled")
            await writer.close()
        }
    }

    @Test("SQLite has no notifications: following returns at once")
    func sqliteReturns() async throws {
        try await TestDatabase.with(.sqlite) { database, _ in
            #expect(!database.notifiesChanges)
            await database.followChanges(listening: { _ in Issue.record("SQLite never listens") }, notified: {})
        }
    }

    @Test("a wake signal ends a wait early, keeps a raise for the next wait, and otherwise waits its pause")
    func wakeSignal() async throws {
        // A wait that ends early ends well before its pause of five minutes: the bound is generous, as the other
        // suites running at once may keep this task from being scheduled for seconds.
        let early = Duration.seconds(120)
        let clock = ContinuousClock()
        let signal = WakeSignal()
        // Raised before anyone waits: the next wait returns at once, and only that one.
        signal.raise()
        #expect(await clock.measure { await signal.wait(upTo: .seconds(300)) } < early)
        #expect(await clock.measure { await signal.wait(upTo: .milliseconds(200)) } >= .milliseconds(200))
        // Raised while waiting.
        let raiser = Task {
            try await Task.sleep(for: .milliseconds(100))
            signal.raise()
        }
        #expect(await clock.measure { await signal.wait(upTo: .seconds(300)) } < early)
        try await raiser.value
        // A cancelled waiter returns at once.
        let waiter = Task { await signal.wait(upTo: .seconds(300)) }
        waiter.cancel()
        #expect(await clock.measure { await waiter.value } < early)
    }
}
