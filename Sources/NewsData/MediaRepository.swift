import Foundation
import NewsCore
import SQLKit

/// Stores photo records (the files themselves live in a `MediaStore`).
public struct MediaRepository: Sendable {
    public let database: Database

    /// Creates a repository over `database`.
    public init(database: Database) {
        self.database = database
    }

    /// Adds a record for `media` (one stored file may have several records with different credits), inside a
    /// transaction the caller holds (a newsroom use case's).
    public static func insert(_ media: Media, in sql: any SQLDatabase) async throws -> Media {
        var stored = media
        stored.id = try await sql.raw(
            """
            INSERT INTO media (file, mime_type, width, height, caption, credit, credit_url, alt, source_url, created_at, search_text)
            VALUES (\(bind: media.file), \(bind: media.mimeType), \(bind: media.width), \(bind: media.height), \(bind: media.caption), \(bind: media.credit), \(bind: media.creditURL), \(bind: media.alt), \(bind: media.sourceURL), \(bind: Date().millisecondsSince1970), \(bind: searchText(media)))
            RETURNING id
            """
        ).first()?.decode(column: "id", as: Int64.self)
        return stored
    }

    /// Photos newest first, those before id `before` (keyset paging; nil: from the newest), and with `text`
    /// those whose caption, credit, alt text or file name hold each of its words, in any case.
    public func list(matching text: String? = nil, before: Int64? = nil, limit: Int) async throws -> [Media] {
        try await database.read { sql in
            var query: SQLQueryString = "SELECT \(Columns.media) FROM media m WHERE 1 = 1"
            for word in Self.words(text ?? "") {
                query += " AND m.search_text LIKE \(bind: LikePattern.containing(word)) ESCAPE '\\'"
            }
            if let before { query += " AND m.id < \(bind: before)" }
            query += " ORDER BY m.id DESC LIMIT \(bind: limit)"
            let finalQuery = query
            return try await sql.raw(finalQuery).all().compactMap { try $0.media() }
        }
    }

    /// What the library's search looks in: the editorial fields and the file name, lower-cased.
    static func searchText(_ media: Media) -> String {
        [media.caption ?? "", media.credit ?? "", media.alt, media.file].filter { !$0.isEmpty }
            .joined(separator: " \n ").lowercased()
    }

    /// The words of a search (at most eight), lower-cased as ``searchText(_:)`` is.
    static func words(_ text: String) -> [String] {
        Array(
            UkrainianText.normalize(String(text.prefix(200))).lowercased().split(separator: " ").prefix(8).map(
                String.init))
    }

    /// Fills the search text of up to `limit` photos stored before it existed; returns how many.
    public func fillSearchText(limit: Int = 500) async throws -> Int {
        try await database.transaction { sql in
            let rows = try await sql.raw(
                "SELECT \(Columns.media) FROM media m WHERE m.search_text IS NULL ORDER BY m.id LIMIT \(bind: limit)"
            ).all().compactMap { try $0.media() }
            for media in rows {
                try await sql.raw(
                    "UPDATE media SET search_text = \(bind: Self.searchText(media)) WHERE id = \(bind: media.id!)"
                ).run()
            }
            return rows.count
        }
    }

    /// The stories that show photo `id`, as their cover or in their body, newest first.
    public func usages(of id: Int64, limit: Int = 200) async throws -> [MediaUsage] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT a.id, a.title, a.slug, a.status FROM article_media x JOIN articles a ON a.id = x.article_id
                WHERE x.media_id = \(bind: id) ORDER BY a.updated_at DESC, a.id DESC LIMIT \(bind: limit)
                """
            ).all().map { row in
                MediaUsage(
                    articleID: try row.decode(column: "id", as: Int64.self),
                    title: try row.decode(column: "title", as: String.self),
                    slug: try row.decode(column: "slug", as: String.self),
                    status: ArticleStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft)
            }
        }
    }

    /// Whether a published story shows photo `id` (then every page may show it: feeds show covers).
    static func isShownPublished(_ id: Int64, in sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw(
            """
            SELECT 1 AS one FROM article_media x JOIN articles a ON a.id = x.article_id
            WHERE x.media_id = \(bind: id) AND a.status = 'published' LIMIT 1
            """
        ).first() != nil
    }

    /// Photos whose renditions are not made yet and that no node holds at `now`, oldest first.
    public func awaitingRenditions(limit: Int, now: Date = Date()) async throws -> [Media] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT \(Columns.media) FROM media m WHERE m.renditions IS NULL AND (m.rendition_claim IS NULL OR m.rendition_claim < \(bind: now.millisecondsSince1970)) ORDER BY m.id LIMIT \(bind: limit)"
            ).all().compactMap { try $0.media() }
        }
    }

    /// Takes photo `id`'s renditions for this node until `now + lease`, unless they are made or another node holds
    /// them; whether this node got them. Several nodes on one database and one shared media directory thus cut
    /// each photo once, and one that stops lets go when the lease ends.
    public func claimRenditions(of id: Int64, now: Date = Date(), lease: TimeInterval = 300) async throws -> Bool {
        try await database.transaction { sql in
            try await sql.raw(
                """
                UPDATE media SET rendition_claim = \(bind: now.addingTimeInterval(lease).millisecondsSince1970)
                WHERE id = \(bind: id) AND renditions IS NULL
                AND (rendition_claim IS NULL OR rendition_claim < \(bind: now.millisecondsSince1970)) RETURNING id
                """
            ).first() != nil
        }
    }

    /// Every photo by id after `id` (for `shpalta media rebuild`).
    public func all(after id: Int64, limit: Int) async throws -> [Media] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT \(Columns.media) FROM media m WHERE m.id > \(bind: id) ORDER BY m.id LIMIT \(bind: limit)"
            ).all().compactMap { try $0.media() }
        }
    }

    /// How many photos there are (only those whose renditions were never made, with `awaitingRenditions`).
    public func count(awaitingRenditions: Bool = false) async throws -> Int {
        try await database.read { sql in
            let query: SQLQueryString =
                awaitingRenditions
                ? "SELECT COUNT(*) AS n FROM media WHERE renditions IS NULL" : "SELECT COUNT(*) AS n FROM media"
            return Int(try await sql.raw(query).first()?.decode(column: "n", as: Int64.self) ?? 0)
        }
    }

    /// A record of the original whose name is `stem` and an extension (`stem` "u-3f9a": "u-3f9a.jpg").
    public func find(stem: String) async throws -> Media? {
        try await database.read { sql in
            try await sql.raw(
                "SELECT \(Columns.media) FROM media m WHERE substr(m.file, 1, \(bind: stem.utf8.count + 1)) = \(bind: stem + ".") ORDER BY m.id LIMIT 1"
            ).first()?.media()
        }
    }

    /// The record of the stored file `file` (the original's name).
    public func find(file: String) async throws -> Media? {
        try await database.read { sql in
            try await sql.raw("SELECT \(Columns.media) FROM media m WHERE m.file = \(bind: file) LIMIT 1").first()?
                .media()
        }
    }

    /// The record with `id`.
    public func find(id: Int64) async throws -> Media? {
        try await database.read { sql in
            try await sql.raw("SELECT \(Columns.media) FROM media m WHERE m.id = \(bind: id)").first()?.media()
        }
    }
}

/// A story that shows a photo, for the library's "where used".
public struct MediaUsage: Sendable, Equatable {
    public var articleID: Int64
    public var title: String
    public var slug: String
    public var status: ArticleStatus
}
