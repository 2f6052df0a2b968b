import Foundation
import NewsCore
import SQLKit

/// The outbox of change events: every write of content adds its event here in its own transaction, and
/// ``ChangeDispatcher`` hands the events, in order, to their subscribers.
public struct ChangeLog: Sendable {
    let database: Database

    /// Creates the log over `database`.
    public init(database: Database) {
        self.database = database
    }

    /// Adds the event of a write that turned `before` into `after`, inside the write's transaction.
    @discardableResult
    public static func record(
        _ action: ChangeEvent.Action, source: ChangeEvent.Source, user: Int64?, before: Article?, after: Article,
        now: Date, in sql: any SQLDatabase
    ) async throws -> ChangeEvent {
        var event = ChangeEvent(action: action, source: source, userID: user, before: before, after: after, at: now)
        if !event.urls.isEmpty { event.urls += try await listingPaths(of: event, in: sql) }
        return try await record(event, in: sql)
    }

    /// Adds `event` (a change to the paper itself, or a story's event made above), inside the write's transaction.
    @discardableResult
    public static func record(_ event: ChangeEvent, in sql: any SQLDatabase) async throws -> ChangeEvent {
        var event = event
        let payload = String(decoding: try JSONEncoder().encode(event), as: UTF8.self)
        event.id = try await sql.raw(
            """
            INSERT INTO change_events (at, action, source, user_id, article_id, payload)
            VALUES (\(bind: event.at.millisecondsSince1970), \(bind: event.action.rawValue), \(bind: event.source.rawValue), \(bind: event.userID), \(bind: event.articleID), \(bind: payload))
            RETURNING id
            """
        ).first()?.decode(column: "id", as: Int64.self)
        return event
    }

    /// The public paths of the rubric, tag and author pages that may list the event's article (one query): a
    /// rubric's page lists the stories of the rubrics under it, so those above the article's rubric are included.
    static func listingPaths(of event: ChangeEvent, in sql: any SQLDatabase) async throws -> [String] {
        func list(_ ids: [Int64]) -> SQLGroupExpression {
            SQLGroupExpression(SQLList((ids + [-1]).map { SQLBind($0) }))
        }
        return try await sql.raw(
            "WITH RECURSIVE above(id) AS (SELECT id FROM rubrics WHERE id IN \(list(event.rubricIDs)) UNION SELECT r.parent_id FROM rubrics r JOIN above ON r.id = above.id WHERE r.parent_id IS NOT NULL) SELECT '/rubric/' || slug AS path FROM rubrics WHERE id IN (SELECT id FROM above) UNION ALL SELECT '/tag/' || slug AS path FROM tags WHERE id IN \(list(event.tagIDs)) UNION ALL SELECT '/author/' || slug AS path FROM authors WHERE id IN \(list(event.authorIDs))"
        ).all().map { try $0.decode(column: "path", as: String.self) }
    }

    /// Up to `limit` events after `id`, in order.
    static func events(after id: Int64, limit: Int, in sql: any SQLDatabase) async throws -> [ChangeEvent] {
        try await sql.raw(
            "SELECT id, payload FROM change_events WHERE id > \(bind: id) ORDER BY id LIMIT \(bind: limit)"
        ).all().map { row in
            var event = try JSONDecoder().decode(
                ChangeEvent.self, from: Data(try row.decode(column: "payload", as: String.self).utf8))
            event.id = try row.decode(column: "id", as: Int64.self)
            return event
        }
    }

    /// Every event, oldest first (for tests and tools).
    public func all() async throws -> [ChangeEvent] {
        try await database.read { sql in try await Self.events(after: 0, limit: Int(Int32.max), in: sql) }
    }
}
