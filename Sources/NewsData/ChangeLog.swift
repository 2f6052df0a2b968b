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
        let event = ChangeEvent(action: action, source: source, userID: user, before: before, after: after, at: now)
        return try await record(try await withListingPaths([event], in: sql)[0], in: sql)
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
        try await notifyListeners(in: sql)
        return event
    }

    /// Adds the events of writes to many stories (an import's batch, each event made from its story as above), in
    /// order, many a statement, inside the writes' transaction.
    static func recordStories(_ events: [ChangeEvent], in sql: any SQLDatabase) async throws {
        let columns = ["at", "action", "source", "user_id", "article_id", "payload"]
        let encoder = JSONEncoder()
        for chunk in try await withListingPaths(events, in: sql).chunks(
            of: ArticleRepository.rowsPerStatement / columns.count)
        {
            var insert = sql.insert(into: "change_events").columns(columns)
            for event in chunk {
                insert = insert.values(
                    SQLBind(event.at.millisecondsSince1970), SQLBind(event.action.rawValue),
                    SQLBind(event.source.rawValue), SQLBind(event.userID), SQLBind(event.articleID),
                    SQLBind(String(decoding: try encoder.encode(event), as: UTF8.self)))
            }
            try await insert.run()
        }
        if !events.isEmpty { try await notifyListeners(in: sql) }
    }

    /// Story events with the public paths of the rubric, tag and author pages that may list their story added (one
    /// query for all of them): a rubric's page lists the stories of the rubrics under it, so those above a story's
    /// rubric are included. An event that touches no public page gets none.
    static func withListingPaths(_ events: [ChangeEvent], in sql: any SQLDatabase) async throws -> [ChangeEvent] {
        let shown = events.filter { !$0.urls.isEmpty }
        guard !shown.isEmpty else { return events }
        func list(_ ids: [Int64]) -> SQLGroupExpression {
            SQLGroupExpression(SQLList((Set(ids).sorted() + [-1]).map { SQLBind($0) }))
        }
        let rubrics = list(shown.flatMap(\.rubricIDs))
        let tags = list(shown.flatMap(\.tagIDs))
        let authors = list(shown.flatMap(\.authorIDs))
        let rows = try await sql.raw(
            "WITH RECURSIVE above(id, start) AS (SELECT id, id FROM rubrics WHERE id IN \(rubrics) UNION SELECT r.parent_id, above.start FROM rubrics r JOIN above ON r.id = above.id WHERE r.parent_id IS NOT NULL) SELECT 'rubric' AS kind, above.start AS owner, '/rubric/' || r.slug AS path FROM above JOIN rubrics r ON r.id = above.id UNION ALL SELECT 'tag' AS kind, id AS owner, '/tag/' || slug AS path FROM tags WHERE id IN \(tags) UNION ALL SELECT 'author' AS kind, id AS owner, '/author/' || slug AS path FROM authors WHERE id IN \(authors)"
        ).all()
        var paths: [String: [Int64: [String]]] = [:]
        for row in rows {
            let kind = try row.decode(column: "kind", as: String.self)
            let owner = try row.decode(column: "owner", as: Int64.self)
            paths[kind, default: [:]][owner, default: []].append(try row.decode(column: "path", as: String.self))
        }
        return events.map { event in
            guard !event.urls.isEmpty else { return event }
            var event = event
            var listing: [String] = []
            for (kind, ids) in [("rubric", event.rubricIDs), ("tag", event.tagIDs), ("author", event.authorIDs)] {
                for id in ids { listing += paths[kind]?[id] ?? [] }
            }
            event.urls += listing.uniqued()
            return event
        }
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
