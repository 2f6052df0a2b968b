import Foundation
import NewsCore
import SQLKit

// Saved versions of a story.
extension Newsroom {
    /// The story's saved versions, newest first.
    public func revisions(of id: Int64) async throws -> [RevisionInfo] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT r.id, r.kind, r.version, r.saved_at, u.name AS user_name FROM revisions r LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = \(bind: id) ORDER BY r.saved_at DESC, r.id DESC"
            ).all().map(Self.revisionInfo)
        }
    }

    /// One saved version of a story.
    public func revision(_ revisionID: Int64, of id: Int64) async throws -> (RevisionInfo, Article) {
        try await database.read { sql in
            guard
                let row = try await sql.raw(
                    "SELECT r.*, u.name AS user_name FROM revisions r LEFT JOIN users u ON u.id = r.user_id WHERE r.id = \(bind: revisionID) AND r.article_id = \(bind: id)"
                ).first()
            else { throw NewsroomError.notFound }
            return (try Self.revisionInfo(row), try Self.snapshot(row))
        }
    }

    /// A revision's snapshot: the story as `JSONEncoder` writes it, its body written by ``Block/encodeBody(_:)``
    /// (the larger part, and what `JSONEncoder` is slow at). The story is encoded with an empty body, whose
    /// `"body":[]` is then the only such text in it: inside a JSON string a quote is always escaped.
    ///
    /// - Parameter body: the body as ``NewsCore/Block/encodeBody(_:)`` writes it, when the caller has it already.
    static func snapshot(of article: Article, body: String? = nil) throws -> String {
        var bodiless = article
        bodiless.body = []
        let json = try JSONEncoder().encode(bodiless)
        // Found and joined as bytes: `String`'s search and replace go through `NSString` on Linux.
        let empty = Array(#""body":[]"#.utf8)
        guard
            let slot = json.withUnsafeBytes({ bytes in
                empty.withUnsafeBytes { ByteSearch.firstOffset(of: $0, in: bytes) }
            })
        else { return String(decoding: try JSONEncoder().encode(article), as: UTF8.self) }
        var snapshot = [UInt8]()
        snapshot.reserveCapacity(json.count + article.body.count * 256)
        snapshot += json.prefix(slot)
        snapshot += #""body":"#.utf8
        snapshot += (body ?? Block.encodeBody(article.body)).utf8
        snapshot += json.dropFirst(slot + empty.count)
        return String(decoding: snapshot, as: UTF8.self)
    }

    /// Keeps `article` as a version of kind `kind` ("create", "save", "autosave", "import") by `userID` (`nil`:
    /// no member, as for an import).
    static func addRevision(_ article: Article, kind: String, user userID: Int64?, now: Date, in sql: any SQLDatabase)
        async throws
    {
        try await addRevisions([article], kind: kind, user: userID, now: now, in: sql)
    }

    /// Keeps each of `articles` as a version, as ``addRevision(_:kind:user:now:in:)`` does, many a statement.
    ///
    /// - Parameter bodies: each article's body as ``NewsCore/Block/encodeBody(_:)`` writes it, when the caller has
    ///   them already (an import has, from storing the articles).
    static func addRevisions(
        _ articles: [Article], bodies: [String]? = nil, kind: String, user userID: Int64?, now: Date,
        in sql: any SQLDatabase
    ) async throws {
        let columns = ["article_id", "kind", "version", "user_id", "saved_at", "snapshot"]
        for chunk in Array(articles.indices).chunks(of: ArticleRepository.rowsPerStatement / columns.count) {
            var insert = sql.insert(into: "revisions").columns(columns)
            for index in chunk {
                let article = articles[index]
                insert = insert.values(
                    SQLBind(article.id!), SQLBind(kind), SQLBind(article.version), SQLBind(userID),
                    SQLBind(now.millisecondsSince1970), SQLBind(try snapshot(of: article, body: bodies?[index])))
            }
            try await insert.run()
        }
    }

    static func lastSave(of id: Int64, in sql: any SQLDatabase) async throws -> RevisionInfo? {
        try await sql.raw(
            "SELECT r.id, r.kind, r.version, r.saved_at, u.name AS user_name FROM revisions r LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = \(bind: id) AND r.kind <> 'autosave' ORDER BY r.id DESC LIMIT 1"
        ).first().map(revisionInfo)
    }

    static func revisionInfo(_ row: any SQLRow) throws -> RevisionInfo {
        RevisionInfo(
            id: try row.decode(column: "id", as: Int64.self), kind: try row.decode(column: "kind", as: String.self),
            version: try row.decode(column: "version", as: Int.self), userName: try row.optionalString("user_name"),
            savedAt: Date(millisecondsSince1970: try row.decode(column: "saved_at", as: Int64.self)))
    }

    static func snapshot(_ row: any SQLRow) throws -> Article {
        try JSONDecoder().decode(Article.self, from: Data(try row.decode(column: "snapshot", as: String.self).utf8))
    }
}
