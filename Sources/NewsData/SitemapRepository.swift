import Foundation
import NewsCore
import SQLKit

/// One address of a sitemap: a published story (with its cover photo and, for Google News, its headline and
/// publication time), or a rubric, tag or author page.
public struct SitemapEntry: Sendable, Equatable {
    public var slug: String
    public var title: String
    public var publishedAt: Date?
    public var updatedAt: Date?
    /// The cover photo's stored file, for `image:image`.
    public var coverFile: String?
}

/// What the sitemaps list. Stories are read in index order (`articles_feed`), a part at a time; rubrics, tags and
/// authors only when they have a published story, as their pages are otherwise empty.
public struct SitemapRepository: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// How many stories are published by `now`.
    public func publishedCount(now: Date) async throws -> Int {
        try await database.read { sql in
            try await sql.raw(
                "SELECT COUNT(*) AS n FROM articles a WHERE a.status = 'published' AND a.published_at <= \(bind: now.millisecondsSince1970)"
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// How many stories were published in `since ... now`.
    public func newsCount(since: Date, now: Date) async throws -> Int {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM articles a WHERE a.status = 'published'
                AND a.published_at <= \(bind: now.millisecondsSince1970) AND a.published_at >= \(bind: since.millisecondsSince1970)
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Published stories, oldest first, from `offset`.
    public func articles(offset: Int, limit: Int, now: Date) async throws -> [SitemapEntry] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT a.slug, a.title, a.published_at, a.updated_at, m.file AS cover FROM articles a
                LEFT JOIN media m ON m.id = a.cover_media_id
                WHERE a.status = 'published' AND a.published_at <= \(bind: now.millisecondsSince1970)
                ORDER BY a.published_at, a.id LIMIT \(bind: limit) OFFSET \(bind: offset)
                """
            ).all().map(Self.entry(from:))
        }
    }

    /// Stories published in `since ... now`, newest first, from `offset` (the Google News sitemap).
    public func news(since: Date, now: Date, offset: Int, limit: Int) async throws -> [SitemapEntry] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT a.slug, a.title, a.published_at, a.updated_at, m.file AS cover FROM articles a
                LEFT JOIN media m ON m.id = a.cover_media_id
                WHERE a.status = 'published' AND a.published_at <= \(bind: now.millisecondsSince1970)
                AND a.published_at >= \(bind: since.millisecondsSince1970)
                ORDER BY a.published_at DESC, a.id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
                """
            ).all().map(Self.entry(from:))
        }
    }

    /// Rubrics, tags or authors (`table`: "rubrics", "tags", "authors") with at least one published story, with
    /// the time of the newest.
    public func listings(_ kind: ListingKind, now: Date) async throws -> [SitemapEntry] {
        let link: SQLQueryString =
            switch kind {
            case .rubrics:
                // A rubric's page lists the stories of the rubrics under it too (UNION ends a loop).
                "WITH RECURSIVE under(top, id) AS (SELECT id, id FROM rubrics UNION SELECT under.top, r.id FROM rubrics r JOIN under ON r.parent_id = under.id) SELECT r.slug, r.name AS title, MAX(a.published_at) AS published_at FROM rubrics r JOIN under u ON u.top = r.id JOIN articles a ON a.rubric_id = u.id"
            case .tags:
                "SELECT t.slug, t.name AS title, MAX(a.published_at) AS published_at FROM tags t JOIN article_tags x ON x.tag_id = t.id JOIN articles a ON a.id = x.article_id"
            case .authors:
                "SELECT au.slug, au.name AS title, MAX(a.published_at) AS published_at FROM authors au JOIN article_authors x ON x.author_id = au.id JOIN articles a ON a.id = x.article_id"
            }
        let group: SQLQueryString =
            switch kind {
            case .rubrics: "GROUP BY r.slug, r.name ORDER BY r.slug"
            case .tags: "GROUP BY t.slug, t.name ORDER BY t.slug"
            case .authors: "GROUP BY au.slug, au.name ORDER BY au.slug"
            }
        return try await database.read { sql in
            try await sql.raw(
                link + " WHERE a.status = 'published' AND a.published_at <= \(bind: now.millisecondsSince1970) "
                    + group
            ).all().map {
                SitemapEntry(
                    slug: try $0.decode(column: "slug", as: String.self),
                    title: try $0.decode(column: "title", as: String.self),
                    publishedAt: try $0.optionalInt64("published_at").map(Date.init(millisecondsSince1970:)))
            }
        }
    }

    public enum ListingKind: Sendable {
        case rubrics, tags, authors
    }

    private static func entry(from row: any SQLRow) throws -> SitemapEntry {
        SitemapEntry(
            slug: try row.decode(column: "slug", as: String.self),
            title: try row.decode(column: "title", as: String.self),
            publishedAt: try row.optionalInt64("published_at").map(Date.init(millisecondsSince1970:)),
            updatedAt: try row.optionalInt64("updated_at").map(Date.init(millisecondsSince1970:)),
            coverFile: try row.optionalString("cover"))
    }
}
