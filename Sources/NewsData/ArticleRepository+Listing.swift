import Foundation
import NewsCore
import SQLKit

/// Which published stories a list for programs (the Content API) asks for. The filters combine.
public struct ArticleFilter: Sendable, Equatable, Hashable {
    /// A rubric and those under it (``RubricTree/family(of:)``); empty: any rubric.
    public var rubricIDs: [Int64]
    public var tagID: Int64?
    public var authorID: Int64?
    /// Published at or after.
    public var since: Date?
    /// Published before.
    public var until: Date?
    /// Changed at or after.
    public var updatedSince: Date?

    /// Creates a filter; with no arguments, every published story.
    public init(
        rubricIDs: [Int64] = [], tagID: Int64? = nil, authorID: Int64? = nil, since: Date? = nil, until: Date? = nil,
        updatedSince: Date? = nil
    ) {
        self.rubricIDs = rubricIDs
        self.tagID = tagID
        self.authorID = authorID
        self.since = since
        self.until = until
        self.updatedSince = updatedSince
    }
}

extension ArticleRepository {
    /// The ids of one page of published stories that pass `filter`, newest first, starting after `cursor`, and
    /// where the next page starts (`nil` at the end). Keyset paging, as the site's feeds: page 500 costs what
    /// page 1 does.
    public func list(_ filter: ArticleFilter, after cursor: FeedCursor? = nil, limit: Int, now: Date) async throws
        -> (ids: [Int64], next: FeedCursor?)
    {
        if let since = filter.since, let until = filter.until, since >= until { return ([], nil) }
        let nowMillis = now.millisecondsSince1970
        var upper = min(nowMillis, cursor?.publishedMillis ?? nowMillis)
        var exclusiveUpper: Int64?
        if let until = filter.until?.millisecondsSince1970 {
            if until <= upper {
                upper = until
                exclusiveUpper = until
            }
        }
        var query: SQLQueryString =
            "SELECT a.id, a.published_at FROM articles a WHERE a.status = 'published' AND a.published_at <= \(bind: upper)"
        if let exclusiveUpper { query += " AND a.published_at < \(bind: exclusiveUpper)" }
        if let since = filter.since { query += " AND a.published_at >= \(bind: since.millisecondsSince1970)" }
        if let updated = filter.updatedSince { query += " AND a.updated_at >= \(bind: updated.millisecondsSince1970)" }
        if !filter.rubricIDs.isEmpty {
            query += " AND a.rubric_id IN \(SQLGroupExpression(SQLList(filter.rubricIDs.map { SQLBind($0) })))"
        }
        if let tag = filter.tagID {
            query += " AND a.id IN (SELECT article_id FROM article_tags WHERE tag_id = \(bind: tag))"
        }
        if let author = filter.authorID {
            query += " AND a.id IN (SELECT article_id FROM article_authors WHERE author_id = \(bind: author))"
        }
        if let cursor, cursor.publishedMillis <= nowMillis {
            query += " AND (a.published_at < \(bind: cursor.publishedMillis) OR a.id < \(bind: cursor.id))"
        }
        query += " ORDER BY a.published_at DESC, a.id DESC LIMIT \(bind: limit + 1)"
        let finalQuery = query
        let rows = try await database.read { sql in
            try await sql.raw(finalQuery).all().map {
                (
                    id: try $0.decode(column: "id", as: Int64.self),
                    at: try $0.decode(column: "published_at", as: Int64.self)
                )
            }
        }
        let page = rows.prefix(limit)
        let next = rows.count > limit ? page.last.map { FeedCursor(publishedMillis: $0.at, id: $0.id) } : nil
        return (page.map(\.id), next)
    }

    /// The id of the published story at `slug` (or at a slug it had before), if a reader may see it at `now`.
    public func publishedID(slug: String, now: Date) async throws -> Int64? {
        let nowMillis = now.millisecondsSince1970
        return try await database.read { sql in
            let visible: SQLQueryString = "a.status = 'published' AND a.published_at <= \(bind: nowMillis)"
            if let row = try await sql.raw("SELECT a.id FROM articles a WHERE a.slug = \(bind: slug) AND \(visible)")
                .first()
            {
                return try row.decode(column: "id", as: Int64.self)
            }
            return try await sql.raw(
                "SELECT a.id FROM slug_redirects r JOIN articles a ON a.id = r.article_id WHERE r.slug = \(bind: slug) AND \(visible)"
            ).first()?.decode(column: "id", as: Int64.self)
        }
    }
}
