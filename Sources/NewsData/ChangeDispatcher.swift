import Foundation
import Logging
import NewsCore
import SQLKit

/// Something that acts on change events: evicts pages, writes the audit log, later sends webhooks.
public protocol ChangeSubscriber: Sendable {
    /// A stable name: the dispatcher keeps each subscriber's position under it.
    var name: String { get }
    /// Whether it acts on this process's memory (a cache) rather than on the database: then every node of a cluster
    /// hands it every event, under a position of its own (`name@node`). One that writes to the database (the audit
    /// log, the queues of webhooks and CDN purges) has one position for the cluster: each event is applied once.
    var isNodeLocal: Bool { get }
    /// Acts on `events` (in order). Database writes go through `sql`: they commit together with the
    /// subscriber's new position, so no event is applied twice or lost, even across a crash.
    func apply(_ events: [ChangeEvent], in sql: any SQLDatabase) async throws
}

extension ChangeSubscriber {
    public var isNodeLocal: Bool { false }
}

/// Reads the outbox in order and hands each event to every subscriber. Each subscriber's position is kept in
/// the database (`event_cursors`), advanced in the same transaction as what it wrote, so after a restart it
/// goes on from where it stopped; another node following the same outbox keeps positions of its own names.
public struct ChangeDispatcher: Sendable {
    /// The database whose outbox it follows.
    public let database: Database
    let subscribers: [any ChangeSubscriber]
    /// How many events one pass hands over at most, per subscriber.
    let batchSize: Int
    /// This server's name among the nodes sharing the database, for the positions of its node-local subscribers;
    /// `nil` for a lone process (a command, a test), whose positions are the subscribers' names.
    let node: String?

    /// Creates a dispatcher.
    public init(database: Database, subscribers: [any ChangeSubscriber], batchSize: Int = 200, node: String? = nil) {
        self.database = database
        self.subscribers = subscribers
        self.batchSize = batchSize
        self.node = node
    }

    /// The name `subscriber`'s position is kept under.
    func position(of subscriber: any ChangeSubscriber) -> String {
        guard subscriber.isNodeLocal, let node else { return subscriber.name }
        return subscriber.name + "@" + node
    }

    /// The names the subscribers' positions are kept under.
    public var subscriberNames: [String] { subscribers.map(position(of:)) }

    /// Moves this node's own subscribers to the newest event, for a server about to start: its caches are empty, so
    /// nothing before now concerns them (a node that was down for a week does not replay the week). Run before the
    /// server listens, so that no page it caches can predate an event it skips.
    public func startNode() async throws {
        for subscriber in subscribers where subscriber.isNodeLocal && node != nil {
            try await database.transaction { sql in
                try await sql.raw(
                    """
                    INSERT INTO event_cursors (subscriber, last_id)
                    SELECT \(bind: position(of: subscriber)), COALESCE(MAX(id), 0) FROM change_events WHERE 1 = 1
                    ON CONFLICT (subscriber) DO UPDATE SET last_id = excluded.last_id
                    """
                ).run()
            }
        }
    }

    /// One pass: each subscriber gets the events it has not had yet (up to `batchSize`). Returns how many were
    /// delivered in all.
    @discardableResult
    public func dispatchOnce() async throws -> Int {
        var delivered = 0
        // A read first: a subscriber with nothing new costs no write transaction (several nodes, and on SQLite
        // several processes, would otherwise take the write lock several times a second each for nothing).
        let (newest, positions) = try await database.read { sql in
            let newest =
                try await sql.raw("SELECT COALESCE(MAX(id), 0) AS newest FROM change_events").first()?.decode(
                    column: "newest", as: Int64.self) ?? 0
            var positions: [String: Int64] = [:]
            for row in try await sql.raw("SELECT subscriber, last_id FROM event_cursors").all() {
                positions[try row.decode(column: "subscriber", as: String.self)] = try row.decode(
                    column: "last_id", as: Int64.self)
            }
            return (newest, positions)
        }
        for subscriber in subscribers {
            let batchSize = batchSize
            let name = position(of: subscriber)
            if let position = positions[name], position >= newest { continue }
            // Two passes at once (two requests, two nodes) must not both deliver a batch: on PostgreSQL the
            // position's row is locked until the pass commits; SQLite runs one write transaction at a time.
            let lock = database.dialect == .postgres ? " FOR UPDATE" : ""
            delivered += try await database.transaction { sql in
                try await sql.raw(
                    "INSERT INTO event_cursors (subscriber, last_id) VALUES (\(bind: name), 0) ON CONFLICT (subscriber) DO NOTHING"
                ).run()
                let position =
                    try await sql.raw(
                        "SELECT last_id FROM event_cursors WHERE subscriber = \(bind: name)\(unsafeRaw: lock)"
                    ).first()?.decode(column: "last_id", as: Int64.self) ?? 0
                let events = try await ChangeLog.events(after: position, limit: batchSize, in: sql)
                guard let last = events.last?.id else { return 0 }
                // A cache must not be refilled from a read replica that has not replayed these events yet.
                if subscriber.isNodeLocal { try await database.replicaMustCatchUp(in: sql) }
                try await subscriber.apply(events, in: sql)
                try await sql.raw(
                    "UPDATE event_cursors SET last_id = \(bind: last) WHERE subscriber = \(bind: name)"
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
