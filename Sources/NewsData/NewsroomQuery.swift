import Foundation
import NewsCore
import SQLKit

/// The newsroom's article list: filters, and only what the user may see.
public struct NewsroomFilter: Sendable, Equatable {
    public var status: ArticleStatus?
    public var rubricID: Int64?
    public var authorID: Int64?
    /// Words the headline contains.
    public var text: String?
    /// Limits the list to articles this user created or is credited on (journalists, contributors).
    public var ownedBy: (userID: Int64, authorID: Int64?)?
    /// With `ownedBy`: also the articles of these rubrics (editors limited to some rubrics).
    public var alsoRubrics: [Int64] = []
    /// Only these articles (the hits of a full-text search), in this order.
    public var ids: [Int64]?
    /// With `ownedBy`: also every published article (their titles are public anyway).
    public var alsoPublished = false

    /// Creates a filter.
    public init(
        status: ArticleStatus? = nil, rubricID: Int64? = nil, authorID: Int64? = nil, text: String? = nil,
        ownedBy: (userID: Int64, authorID: Int64?)? = nil
    ) {
        self.status = status
        self.rubricID = rubricID
        self.authorID = authorID
        self.text = text
        self.ownedBy = ownedBy
    }

    /// Limits the filter to the articles `user` may open: everything for editors of every rubric, otherwise
    /// their own stories and those of the rubrics they edit.
    public mutating func limit(to user: User) {
        guard !user.role.can(.editAnyArticle) || !user.rubricIDs.isEmpty else { return }
        ownedBy = (user.id ?? 0, user.authorID)
        alsoRubrics = user.rubricIDs
    }

    public static func == (lhs: NewsroomFilter, rhs: NewsroomFilter) -> Bool {
        lhs.status == rhs.status && lhs.rubricID == rhs.rubricID && lhs.authorID == rhs.authorID
            && lhs.text == rhs.text && lhs.ownedBy?.userID == rhs.ownedBy?.userID
            && lhs.ownedBy?.authorID == rhs.ownedBy?.authorID
    }
}

/// A row of the newsroom's list.
public struct NewsroomRow: Sendable, Equatable {
    public var id: Int64
    public var slug: String
    public var title: String
    public var status: ArticleStatus
    public var publishedAt: Date?
    public var updatedAt: Date
    public var rubricName: String?
    public var bylines: [String]
}

extension ArticleRepository {
    /// Articles for the newsroom, most recently changed first, `limit` at a time after `cursor`
    /// (a cursor on `updated_at` and id).
    public func newsroomList(_ filter: NewsroomFilter, after cursor: FeedCursor? = nil, limit: Int = 50) async throws
        -> (rows: [NewsroomRow], next: FeedCursor?)
    {
        var query: SQLQueryString =
            "SELECT a.id, a.slug, a.title, a.status, a.published_at, a.updated_at, r.name AS rubric_name FROM articles a LEFT JOIN rubrics r ON r.id = a.rubric_id WHERE 1 = 1"
        if let ids = filter.ids {
            guard !ids.isEmpty else { return ([], nil) }
            query += " AND a.id IN \(SQLGroupExpression(SQLList(ids.map { SQLBind($0) })))"
        }
        if let status = filter.status { query += " AND a.status = \(bind: status.rawValue)" }
        if let rubricID = filter.rubricID { query += " AND a.rubric_id = \(bind: rubricID)" }
        if let authorID = filter.authorID {
            query += " AND a.id IN (SELECT article_id FROM article_authors WHERE author_id = \(bind: authorID))"
        }
        if let text = filter.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            // Until full-text search (#4): substring of the headline, as typed or with a capital first letter.
            let lower = text.lowercased()
            let capital = lower.prefix(1).uppercased() + lower.dropFirst()
            let (typed, small, big) = (
                LikePattern.containing(text), LikePattern.containing(lower), LikePattern.containing(capital)
            )
            query +=
                " AND (a.title LIKE \(bind: typed) ESCAPE '\\' OR a.title LIKE \(bind: small) ESCAPE '\\' OR a.title LIKE \(bind: big) ESCAPE '\\')"
        }
        if let owner = filter.ownedBy {
            query +=
                " AND (a.created_by = \(bind: owner.userID) OR a.id IN (SELECT article_id FROM article_authors WHERE author_id = \(bind: owner.authorID ?? -1))"
            if !filter.alsoRubrics.isEmpty {
                query += " OR a.rubric_id IN \(SQLGroupExpression(SQLList(filter.alsoRubrics.map { SQLBind($0) })))"
            }
            if filter.alsoPublished { query += " OR a.status = 'published'" }
            query += ")"
        }
        if let cursor {
            query +=
                " AND (a.updated_at < \(bind: cursor.publishedMillis) OR (a.updated_at = \(bind: cursor.publishedMillis) AND a.id < \(bind: cursor.id)))"
        }
        query += " ORDER BY a.updated_at DESC, a.id DESC LIMIT \(bind: limit + 1)"
        let finalQuery = query
        return try await database.read { sql in
            var rows: [NewsroomRow] = []
            for row in try await sql.raw(finalQuery).all() {
                rows.append(
                    NewsroomRow(
                        id: try row.decode(column: "id", as: Int64.self),
                        slug: try row.decode(column: "slug", as: String.self),
                        title: try row.decode(column: "title", as: String.self),
                        status: ArticleStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft,
                        publishedAt: try row.optionalInt64("published_at").map(Date.init(millisecondsSince1970:)),
                        updatedAt: Date(millisecondsSince1970: try row.decode(column: "updated_at", as: Int64.self)),
                        rubricName: try row.optionalString("rubric_name"), bylines: []))
            }
            let page = Array(rows.prefix(limit))
            if !page.isEmpty {
                let ids = SQLGroupExpression(SQLList(page.map { SQLBind($0.id) }))
                let names = try await sql.raw(
                    "SELECT x.article_id, au.name FROM article_authors x JOIN authors au ON au.id = x.author_id WHERE x.article_id IN \(ids) ORDER BY x.article_id, x.position"
                ).all()
                var byArticle: [Int64: [String]] = [:]
                for row in names {
                    byArticle[try row.decode(column: "article_id", as: Int64.self), default: []].append(
                        try row.decode(column: "name", as: String.self))
                }
                for index in page.indices { rows[index].bylines = byArticle[page[index].id] ?? [] }
            }
            if let ids = filter.ids {
                let rank = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
                rows.sort { (rank[$0.id] ?? 0) < (rank[$1.id] ?? 0) }
            }
            let result = Array(rows.prefix(limit))
            let next =
                rows.count > limit
                ? result.last.map { FeedCursor(publishedMillis: $0.updatedAt.millisecondsSince1970, id: $0.id) } : nil
            return (result, next)
        }
    }
}
