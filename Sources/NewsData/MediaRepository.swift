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
            INSERT INTO media (file, mime_type, width, height, caption, credit, credit_url, alt, source_url, created_at)
            VALUES (\(bind: media.file), \(bind: media.mimeType), \(bind: media.width), \(bind: media.height), \(bind: media.caption), \(bind: media.credit), \(bind: media.creditURL), \(bind: media.alt), \(bind: media.sourceURL), \(bind: Date().millisecondsSince1970))
            RETURNING id
            """
        ).first()?.decode(column: "id", as: Int64.self)
        return stored
    }

    /// The newest photos, for the media library.
    public func recent(limit: Int = 60) async throws -> [Media] {
        try await database.read { sql in
            try await sql.raw("SELECT \(Columns.media) FROM media m ORDER BY m.id DESC LIMIT \(bind: limit)").all()
                .compactMap { try $0.media() }
        }
    }

    /// Photos newest first, those before id `before` (keyset paging; nil: from the newest).
    public func list(before: Int64?, limit: Int) async throws -> [Media] {
        try await database.read { sql in
            var query: SQLQueryString = "SELECT \(Columns.media) FROM media m"
            if let before { query += " WHERE m.id < \(bind: before)" }
            query += " ORDER BY m.id DESC LIMIT \(bind: limit)"
            let finalQuery = query
            return try await sql.raw(finalQuery).all().compactMap { try $0.media() }
        }
    }

    /// Photos whose renditions are not made yet, oldest first.
    public func awaitingRenditions(limit: Int) async throws -> [Media] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT \(Columns.media) FROM media m WHERE m.renditions IS NULL ORDER BY m.id LIMIT \(bind: limit)"
            ).all().compactMap { try $0.media() }
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
