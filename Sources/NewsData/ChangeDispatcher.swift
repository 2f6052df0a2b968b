import Foundation
import Logging
import NewsCore
import SQLKit

/// Something that acts on change events: evicts pages, writes the audit log, later sends webhooks.
public protocol ChangeSubscriber: Sendable {
    /// A stable name: the dispatcher keeps each subscriber's position under it.
    var name: String { get }
    /// Acts on `events` (in order). Database writes go through `sql`: they commit together with the
    /// subscriber's new position, so no event is applied twice or lost, even across a crash.
    func apply(_ events: [ChangeEvent], in sql: any SQLDatabase) async throws
}

/// Reads the outbox in order and hands each event to every subscriber. Each subscriber's position is kept in
/// the database (`event_cursors`), advanced in the same transaction as what it wrote, so after a restart it
/// goes on from where it stopped; another node following the same outbox keeps positions of its own names.
public struct ChangeDispatcher: Sendable {
    let database: Database
    let subscribers: [any ChangeSubscriber]
    /// How many events one pass hands over at most, per subscriber.
    let batchSize: Int

    /// Creates a dispatcher.
    public init(database: Database, subscribers: [any ChangeSubscriber], batchSize: Int = 200) {
        self.database = database
        self.subscribers = subscribers
        self.batchSize = batchSize
    }

    /// One pass: each subscriber gets the events it has not had yet (up to `batchSize`). Returns how many were
    /// delivered in all.
    @discardableResult
    public func dispatchOnce() async throws -> Int {
        var delivered = 0
        for subscriber in subscribers {
            let batchSize = batchSize
            // Two passes at once (two requests, two nodes) must not both deliver a batch: on PostgreSQL the
            // position's row is locked until the pass commits; SQLite runs one write transaction at a time.
            let lock = database.dialect == .postgres ? " FOR UPDATE" : ""
            delivered += try await database.transaction { sql in
                try await sql.raw(
                    "INSERT INTO event_cursors (subscriber, last_id) VALUES (\(bind: subscriber.name), 0) ON CONFLICT (subscriber) DO NOTHING"
                ).run()
                let position =
                    try await sql.raw(
                        "SELECT last_id FROM event_cursors WHERE subscriber = \(bind: subscriber.name)\(unsafeRaw: lock)"
                    ).first()?.decode(column: "last_id", as: Int64.self) ?? 0
                let events = try await ChangeLog.events(after: position, limit: batchSize, in: sql)
                guard let last = events.last?.id else { return 0 }
                try await subscriber.apply(events, in: sql)
                try await sql.raw(
                    "UPDATE event_cursors SET last_id = \(bind: last) WHERE subscriber = \(bind: subscriber.name)"
                ).run()
                return events.count
            }
        }
        return delivered
    }

    /// Dispatches until nothing is left (for start-up and tests).
    public func drain() async throws {
        while try await dispatchOnce() > 0 {}
    }
}

/// Writes an audit entry for each change of a story's status (who, or the scheduler, moved it where) and for each
/// change to the paper (rubrics, settings, people, photos), in the dispatcher's transaction.
public struct AuditSubscriber: ChangeSubscriber {
    public let name = "audit"

    /// Creates the subscriber.
    public init() {}

    public func apply(_ events: [ChangeEvent], in sql: any SQLDatabase) async throws {
        for event in events {
            let action: String
            var subject = event.subject
            switch event.action {
            case .moved: action = "article_" + (event.newStatus ?? .draft).rawValue
            case .publishedOnSchedule: action = "article_published_on_schedule"
            // (A photo's renditions are the server's own work, not anyone's action.)
            case .created, .saved, .mediaProcessed: continue
            default: action = event.action.rawValue
            }
            if event.action.isArticle, let id = event.articleID { subject = "article \(id)" }
            try await AuditLog.record(
                action, user: event.userID, subject: subject, address: event.address, now: event.at, in: sql)
        }
    }
}
