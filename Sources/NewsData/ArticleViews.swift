import Foundation
import NewsCore
import SQLKit

/// Readers' views of a story in one hour: what a server counted in memory and adds to the stored count.
public struct ViewCount: Sendable, Hashable {
    public var articleID: Int64
    /// The start of the hour, in milliseconds since 1970.
    public var hour: Int64
    public var views: Int

    public init(articleID: Int64, hour: Int64, views: Int) {
        self.articleID = articleID
        self.hour = hour
        self.views = views
    }

    /// The start of the hour that holds `date`, in milliseconds since 1970.
    public static func hour(of date: Date) -> Int64 {
        let millis = date.millisecondsSince1970
        return millis - ((millis % 3_600_000) + 3_600_000) % 3_600_000
    }
}

/// How many times readers opened each story, per hour: the counts behind "Найпопулярніше". Page views are
/// statistics, not content: they are added in batches by the server that counted them (each node its own), with
/// no change event, and nothing about the reader is stored (ADR 14).
public struct ArticleViews: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Adds `counts` to the stored ones, in one transaction. Views of a story deleted meanwhile are dropped.
    public func add(_ counts: [ViewCount]) async throws {
        guard !counts.isEmpty else { return }
        try await database.transaction { sql in
            for count in counts {
                try await sql.raw(
                    """
                    INSERT INTO article_views (hour, article_id, views)
                    SELECT \(bind: count.hour), a.id, \(bind: count.views) FROM articles a WHERE a.id = \(bind: count.articleID)
                    ON CONFLICT (hour, article_id) DO UPDATE SET views = article_views.views + excluded.views
                    """
                ).run()
            }
        }
    }

    /// The published stories most viewed in the hours from `since`'s to `now`'s, most first (the newer first among
    /// equals), at most `limit`.
    public func mostRead(since: Date, now: Date, limit: Int) async throws -> [ArticleSummary] {
        let join = database.dialect == .sqlite ? "CROSS JOIN" : "JOIN"
        return try await database.read { sql in
            // The counts are summed first (a few hundred rows a day's hours hold), and only the best candidates'
            // stories are read; stories no longer published drop out, so a few more than `limit` are read.
            try await sql.raw(
                """
                SELECT \(Columns.headline) FROM (SELECT v.article_id AS id, SUM(v.views) AS n FROM article_views v \
                WHERE v.hour >= \(bind: ViewCount.hour(of: since)) GROUP BY v.article_id \
                ORDER BY n DESC, v.article_id DESC LIMIT \(bind: limit * 4)) s \
                \(unsafeRaw: join) articles a ON a.id = s.id LEFT JOIN rubrics r ON r.id = a.rubric_id \
                WHERE a.status = 'published' AND a.published_at <= \(bind: now.millisecondsSince1970) \
                ORDER BY s.n DESC, a.published_at DESC, a.id DESC LIMIT \(bind: limit)
                """
            ).all().map { try $0.headline() }
        }
    }

    /// The stored views of `articleID` from `since`'s hour on.
    public func views(of articleID: Int64, since: Date) async throws -> Int {
        try await database.read { sql in
            try await sql.raw(
                "SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT) AS n FROM article_views WHERE hour >= \(bind: ViewCount.hour(of: since)) AND article_id = \(bind: articleID)"
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Deletes the counts of hours before `date`'s; returns how many rows went.
    @discardableResult
    public func prune(before date: Date) async throws -> Int {
        try await database.transaction { sql in
            let old =
                try await sql.raw(
                    "SELECT COUNT(*) AS n FROM article_views WHERE hour < \(bind: ViewCount.hour(of: date))"
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            if old > 0 {
                try await sql.raw("DELETE FROM article_views WHERE hour < \(bind: ViewCount.hour(of: date))").run()
            }
            return old
        }
    }
}
