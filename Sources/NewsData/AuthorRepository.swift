import Foundation
import NewsCore
import SQLKit

/// Stores and finds the people credited in bylines.
public struct AuthorRepository: Sendable {
    public let database: Database

    /// Creates a repository over `database`.
    public init(database: Database) {
        self.database = database
    }

    /// The author with `slug`, with their photo when they have one.
    public func find(slug: String) async throws -> (author: Author, photo: Media?)? {
        try await database.read { sql in
            guard
                let row = try await sql.raw(
                    "SELECT au.id, au.slug, au.name, au.bio, au.photo_media_id, au.login, \(Columns.media) FROM authors au LEFT JOIN media m ON m.id = au.photo_media_id WHERE au.slug = \(bind: slug)"
                ).first()
            else { return nil }
            return (try Self.author(from: row), try row.media())
        }
    }

    /// Every author, by name.
    public func all() async throws -> [Author] {
        try await database.read { sql in
            try await sql.raw("SELECT id, slug, name, bio, photo_media_id, login FROM authors au ORDER BY name").all()
                .map(Self.author(from:))
        }
    }

    /// The authors with `ids`, in that order.
    public func find(ids: [Int64]) async throws -> [Author] {
        guard !ids.isEmpty else { return [] }
        let found = try await database.read { sql in
            try await sql.raw(
                "SELECT id, slug, name, bio, photo_media_id, login FROM authors au WHERE id IN \(SQLGroupExpression(SQLList(ids.map { SQLBind($0) })))"
            ).all().map(Self.author(from:))
        }
        return ids.compactMap { id in found.first { $0.id == id } }
    }

    /// The authors credited as `names` (in that order), adding guest bylines for names not known yet.
    public func resolve(names: [String]) async throws -> [Int64] {
        try await database.transaction { sql in try await Self.resolve(names: names, in: sql) }
    }

    /// The same, inside the caller's transaction (the one that stores the article using them).
    public static func resolve(names: [String], in sql: any SQLDatabase) async throws -> [Int64] {
        var ids: [Int64] = []
        for raw in names {
            let name = UkrainianText.normalize(raw)
            guard !name.isEmpty, name.count <= 200 else { continue }
            if let row = try await sql.raw("SELECT id FROM authors WHERE name = \(bind: name) ORDER BY id LIMIT 1")
                .first()
            {
                ids.append(try row.decode(column: "id", as: Int64.self))
                continue
            }
            let base = Slug.make(from: name).isEmpty ? "author" : Slug.make(from: name)
            var slug = base
            var counter = 1
            while try await sql.raw("SELECT 1 AS one FROM authors WHERE slug = \(bind: slug)").first() != nil {
                counter += 1
                slug = "\(base)-\(counter)"
            }
            if let id = try await upsert(Author(slug: slug, name: name), in: sql).id { ids.append(id) }
        }
        return ids
    }

    /// Stores `author`, matched by login when it has one and by slug otherwise, inside a transaction the caller holds
    /// (a newsroom use case's).
    public static func upsert(_ author: Author, in sql: any SQLDatabase) async throws -> Author {
        var stored = author
        let existing: (any SQLRow)?
        if let login = author.login {
            existing = try await sql.raw("SELECT id FROM authors WHERE login = \(bind: login)").first()
        } else {
            existing = try await sql.raw("SELECT id FROM authors WHERE slug = \(bind: author.slug)").first()
        }
        if let existing {
            let id = try existing.decode(column: "id", as: Int64.self)
            try await sql.raw(
                "UPDATE authors SET name = \(bind: author.name), bio = COALESCE(\(bind: author.bio), bio), photo_media_id = COALESCE(\(bind: author.photoMediaID), photo_media_id) WHERE id = \(bind: id)"
            ).run()
            stored.id = id
        } else {
            stored.id = try await sql.raw(
                "INSERT INTO authors (slug, name, bio, photo_media_id, login) VALUES (\(bind: author.slug), \(bind: author.name), \(bind: author.bio), \(bind: author.photoMediaID), \(bind: author.login)) RETURNING id"
            ).first()?.decode(column: "id", as: Int64.self)
        }
        return stored
    }

    /// Whether an author other than the one with `login` uses `slug`.
    /// Whether an author other than the one with `login` uses `slug`, inside a transaction.
    public static func slugTaken(_ slug: String, exceptLogin login: String?, in sql: any SQLDatabase) async throws
        -> Bool
    {
        try await sql.raw(
            "SELECT 1 AS one FROM authors WHERE slug = \(bind: slug) AND (login IS NULL OR login <> \(bind: login ?? ""))"
        ).first() != nil
    }

    static func author(from row: any SQLRow) throws -> Author {
        Author(
            id: try row.decode(column: "id", as: Int64.self), slug: try row.decode(column: "slug", as: String.self),
            name: try row.decode(column: "name", as: String.self), bio: try row.optionalString("bio"),
            photoMediaID: try row.optionalInt64("photo_media_id"), login: try row.optionalString("login"))
    }
}

extension AuthorRepository {
    /// Authors credited on at least one story a reader may see at `now`, in the Ukrainian alphabet's order, each
    /// with their photo.
    public func published(now: Date) async throws -> [(author: Author, photo: Media?)] {
        let ukrainian = Locale(identifier: "uk_UA")
        return try await database.read { sql in
            try await sql.raw(
                "SELECT au.id, au.slug, au.name, au.bio, au.photo_media_id, au.login, \(Columns.media) FROM authors au LEFT JOIN media m ON m.id = au.photo_media_id WHERE EXISTS (SELECT 1 FROM article_authors aa JOIN articles a ON a.id = aa.article_id WHERE aa.author_id = au.id AND a.status = 'published' AND a.published_at <= \(bind: now.millisecondsSince1970)) ORDER BY au.id"
            ).all().map { (try Self.author(from: $0), try $0.media()) }
        }.sorted { $0.author.name.compare($1.author.name, locale: ukrainian) == .orderedAscending }
    }
}
