import Foundation
import NewsCore
import SQLKit

/// Stores and finds rubrics.
public struct RubricRepository: Sendable {
    public let database: Database

    /// Creates a repository over `database`.
    public init(database: Database) {
        self.database = database
    }

    /// All rubrics in editorial order.
    public func all() async throws -> [Rubric] {
        try await database.read { sql in
            try await sql.raw("SELECT \(Columns.rubric) FROM rubrics r ORDER BY r.position, r.id").all()
                .compactMap { try $0.rubric() }
        }
    }

    /// The rubric with `slug`.
    public func find(slug: String) async throws -> Rubric? {
        try await database.read { sql in
            try await sql.raw("SELECT \(Columns.rubric) FROM rubrics r WHERE r.slug = \(bind: slug)").first()?.rubric()
        }
    }

    /// Stores `rubric` under its slug: a new one is added, an existing one keeps its id and gets the new
    /// name, position and parent. Inside a transaction the caller holds (a newsroom use case's).
    public static func upsert(_ rubric: Rubric, in sql: any SQLDatabase) async throws -> Rubric {
        let row = try await sql.raw(
            """
            INSERT INTO rubrics (slug, name, position, parent_id) VALUES (\(bind: rubric.slug), \(bind: rubric.name), \(bind: rubric.position), \(bind: rubric.parentID))
            ON CONFLICT (slug) DO UPDATE SET name = excluded.name, position = excluded.position, parent_id = excluded.parent_id RETURNING id
            """
        ).first()
        var stored = rubric
        stored.id = try row?.decode(column: "id", as: Int64.self)
        return stored
    }
}

/// Stores and finds tags.
public struct TagRepository: Sendable {
    public let database: Database

    /// Creates a repository over `database`.
    public init(database: Database) {
        self.database = database
    }

    /// The tag with `slug`.
    public func find(slug: String) async throws -> Tag? {
        try await database.read { sql in
            try await sql.raw("SELECT id, slug, name FROM tags WHERE slug = \(bind: slug)").first().map {
                try $0.tag()
            }
        }
    }

    /// Tags whose address starts with `slugPrefix` (a typed name made a slug: "Київщ" → "kyivshch") and that have a
    /// published story, in the order of their addresses: a search box's suggestions.
    public func tags(slugStartingWith slugPrefix: String, now: Date, limit: Int = 3) async throws -> [Tag] {
        guard !slugPrefix.isEmpty, Slug.isValid(slugPrefix) else { return [] }
        // Slugs are a–z, 0–9 and "-", all below "~": the range is every slug that starts with the prefix. PostgreSQL
        // compares them byte by byte, as SQLite does, whatever the database's collation.
        let collate = database.dialect == .postgres ? " COLLATE \"C\"" : ""
        return try await database.read { sql in
            try await sql.raw(
                "SELECT t.id, t.slug, t.name FROM tags t WHERE t.slug\(unsafeRaw: collate) >= \(bind: slugPrefix) AND t.slug\(unsafeRaw: collate) < \(bind: slugPrefix + "~") AND EXISTS (SELECT 1 FROM article_tags x JOIN articles a ON a.id = x.article_id WHERE x.tag_id = t.id AND a.status = 'published' AND a.published_at <= \(bind: now.millisecondsSince1970)) ORDER BY t.slug\(unsafeRaw: collate) LIMIT \(bind: limit)"
            ).all().map { try $0.tag() }
        }
    }

    /// Tag names for suggestions, most used first.
    public func names(limit: Int = 500) async throws -> [String] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT t.name, COUNT(x.article_id) AS uses FROM tags t LEFT JOIN article_tags x ON x.tag_id = t.id GROUP BY t.id, t.name ORDER BY uses DESC, t.name LIMIT \(bind: limit)"
            ).all().map { try $0.decode(column: "name", as: String.self) }
        }
    }

    /// The tags named `names` (in that order), adding the ones not known yet.
    public func resolve(names: [String]) async throws -> [Int64] {
        try await database.transaction { sql in try await Self.resolve(names: names, in: sql) }
    }

    /// The same, inside the caller's transaction (the one that stores the article using them).
    public static func resolve(names: [String], in sql: any SQLDatabase) async throws -> [Int64] {
        var ids: [Int64] = []
        for raw in names {
            let name = UkrainianText.normalize(raw)
            let slug = Slug.make(from: name)
            guard !name.isEmpty, !slug.isEmpty, name.count <= 100 else { continue }
            if let row = try await sql.raw("SELECT id FROM tags WHERE slug = \(bind: slug)").first() {
                ids.append(try row.decode(column: "id", as: Int64.self))
            } else if let id = try await upsert(Tag(slug: slug, name: name), in: sql).id {
                ids.append(id)
            }
        }
        return ids
    }

    /// The tags with `ids`, in that order.
    public func find(ids: [Int64]) async throws -> [Tag] {
        guard !ids.isEmpty else { return [] }
        let rows = try await database.read { sql in
            try await sql.raw(
                "SELECT id, slug, name FROM tags WHERE id IN \(SQLGroupExpression(SQLList(ids.map { SQLBind($0) })))"
            ).all()
        }
        var byID: [Int64: Tag] = [:]
        for row in rows {
            let tag = try row.tag()
            byID[tag.id!] = tag
        }
        return ids.compactMap { byID[$0] }
    }

    /// Stores `tag` under its slug (an existing tag keeps its id and gets the new name), inside a transaction the
    /// caller holds (a newsroom use case's).
    public static func upsert(_ tag: Tag, in sql: any SQLDatabase) async throws -> Tag {
        let row = try await sql.raw(
            """
            INSERT INTO tags (slug, name) VALUES (\(bind: tag.slug), \(bind: tag.name))
            ON CONFLICT (slug) DO UPDATE SET name = excluded.name RETURNING id
            """
        ).first()
        var stored = tag
        stored.id = try row?.decode(column: "id", as: Int64.self)
        return stored
    }
}

extension TagRepository {
    /// The tag with `id`, inside the caller's transaction.
    static func find(id: Int64, in sql: any SQLDatabase) async throws -> Tag? {
        try await sql.raw("SELECT id, slug, name FROM tags WHERE id = \(bind: id)").first().map {
            try $0.tag()
        }
    }

    /// How many stories (in any status) carry tag `id`.
    public func stories(carrying id: Int64) async throws -> Int {
        try await database.read { sql in
            Int(
                try await sql.raw("SELECT COUNT(*) AS n FROM article_tags WHERE tag_id = \(bind: id)").first()?
                    .decode(column: "n", as: Int64.self) ?? 0)
        }
    }

    /// Every tag by slug after `slug` (keyset paging), used or not, with the number of stories (in any status)
    /// that carry it: what an administrator tidies.
    public func all(after slug: String?, limit: Int) async throws -> [(tag: Tag, stories: Int)] {
        try await database.read { sql in
            var query: SQLQueryString =
                "SELECT t.id, t.slug, t.name, (SELECT COUNT(*) FROM article_tags x WHERE x.tag_id = t.id) AS stories FROM tags t"
            if let slug { query += " WHERE t.slug > \(bind: slug)" }
            query += " ORDER BY t.slug LIMIT \(bind: limit)"
            let finalQuery = query
            return try await sql.raw(finalQuery).all().map {
                (
                    try $0.tag(),
                    Int(try $0.decode(column: "stories", as: Int64.self))
                )
            }
        }
    }

    /// Tags that at least one story a reader may see at `now` carries, by slug, after `slug` (keyset paging).
    public func published(after slug: String?, limit: Int, now: Date) async throws -> [Tag] {
        try await database.read { sql in
            var query: SQLQueryString =
                "SELECT t.id, t.slug, t.name FROM tags t WHERE EXISTS (SELECT 1 FROM article_tags at JOIN articles a ON a.id = at.article_id WHERE at.tag_id = t.id AND a.status = 'published' AND a.published_at <= \(bind: now.millisecondsSince1970))"
            if let slug { query += " AND t.slug > \(bind: slug)" }
            query += " ORDER BY t.slug LIMIT \(bind: limit)"
            let finalQuery = query
            return try await sql.raw(finalQuery).all().map {
                try $0.tag()
            }
        }
    }
}
