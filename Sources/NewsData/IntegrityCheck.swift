import Foundation
import SQLKit

/// Checks a database for damage and for broken invariants of our own (`shpalta check`, and the tests that kill a
/// server in the middle of its writes):
///
/// - the engine's own check: SQLite's `PRAGMA integrity_check` and `PRAGMA foreign_key_check`; on PostgreSQL, which
///   keeps its files consistent through its write-ahead log and enforces foreign keys itself, that no index was
///   left invalid;
/// - the search index in step with the stories: every story indexed, no index entry without its story;
/// - no orphan rows: tags, bylines, photos, revisions, transitions, redirects, locks and old addresses of stories
///   that do not exist, and every story with its first revision.
public struct IntegrityCheck: Sendable {
    /// One thing found wrong.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// What was checked ("database", "search index", "orphan rows", "revisions").
        public let check: String
        /// What was found, in words.
        public let detail: String

        public init(check: String, detail: String) {
            self.check = check
            self.detail = detail
        }

        public var description: String { "\(check): \(detail)" }
    }

    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Rows of `child.column` naming a `parent` row that does not exist.
    static let references: [(child: String, column: String, parent: String)] = [
        ("article_tags", "article_id", "articles"), ("article_tags", "tag_id", "tags"),
        ("article_authors", "article_id", "articles"), ("article_authors", "author_id", "authors"),
        ("article_media", "article_id", "articles"), ("revisions", "article_id", "articles"),
        ("transitions", "article_id", "articles"), ("slug_redirects", "article_id", "articles"),
        ("article_locks", "article_id", "articles"), ("legacy_urls", "article_id", "articles"),
        ("article_views", "article_id", "articles"), ("articles", "rubric_id", "rubrics"),
        ("articles", "cover_media_id", "media"), ("sessions", "user_id", "users"),
        ("webhook_deliveries", "webhook_id", "webhooks"),
    ]

    /// Every problem found; none when all is well.
    public func run() async throws -> [Problem] {
        var problems = try await engine()
        let dialect = database.dialect
        problems += try await database.read { sql in
            var found: [Problem] = []
            func count(_ query: SQLQueryString) async throws -> Int {
                try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
            }
            let unindexed: Int
            let strays: Int
            switch dialect {
            case .sqlite:
                unindexed = try await count(
                    "SELECT COUNT(*) AS n FROM articles a WHERE a.search_key IS NULL OR NOT EXISTS (SELECT 1 FROM search_index_docsize d WHERE d.id = a.search_key)"
                )
                strays = try await count(
                    "SELECT COUNT(*) AS n FROM search_index_docsize d WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.search_key = d.id)"
                )
            case .postgres:
                unindexed = try await count("SELECT COUNT(*) AS n FROM articles WHERE search_vector IS NULL")
                strays = 0
            }
            if unindexed > 0 {
                found.append(Problem(check: "search index", detail: "\(unindexed) stories not indexed"))
            }
            if strays > 0 {
                found.append(Problem(check: "search index", detail: "\(strays) entries of stories that do not exist"))
            }
            for (child, column, parent) in Self.references {
                let orphans = try await count(
                    "SELECT COUNT(*) AS n FROM \(ident: child) c WHERE c.\(ident: column) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \(ident: parent) p WHERE p.id = c.\(ident: column))"
                )
                if orphans > 0 {
                    found.append(
                        Problem(
                            check: "orphan rows",
                            detail: "\(orphans) rows of \(child) name a missing row of \(parent) (\(column))"))
                }
            }
            let withoutRevision = try await count(
                "SELECT COUNT(*) AS n FROM articles a WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.article_id = a.id)"
            )
            if withoutRevision > 0 {
                found.append(Problem(check: "revisions", detail: "\(withoutRevision) stories without a revision"))
            }
            return found
        }
        return problems
    }

    /// The engine's own check.
    private func engine() async throws -> [Problem] {
        switch database.dialect {
        case .sqlite:
            return try await database.read { sql in
                var found: [Problem] = []
                let integrity = try await sql.raw("PRAGMA integrity_check").all().map {
                    try $0.decode(column: "integrity_check", as: String.self)
                }
                if integrity != ["ok"] {
                    found += integrity.prefix(20).map { Problem(check: "database", detail: $0) }
                }
                let foreign = try await sql.raw("PRAGMA foreign_key_check").all()
                for row in foreign.prefix(20) {
                    let table = try row.decode(column: "table", as: String.self)
                    let parent = try row.decode(column: "parent", as: String.self)
                    found.append(
                        Problem(check: "database", detail: "a row of \(table) names a missing row of \(parent)"))
                }
                return found
            }
        case .postgres:
            return try await database.read { sql in
                try await sql.raw(
                    "SELECT indexrelid::regclass::text AS name FROM pg_index WHERE NOT indisvalid OR NOT indisready"
                ).all().map {
                    Problem(
                        check: "database",
                        detail: "index \(try $0.decode(column: "name", as: String.self)) is not valid")
                }
            }
        }
    }
}
