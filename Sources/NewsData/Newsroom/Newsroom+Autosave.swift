import Foundation
import NewsCore
import SQLKit

// Autosave: unsaved work kept per user and story.
extension Newsroom {
    /// Keeps `edit`'s unsaved content as this user's autosave of the story (one per user and story; the story
    /// itself is not changed, and typed tag and byline names are kept as names, never added as rows). Never
    /// refused for being stale: it exists to keep work.
    public func autosave(_ edit: ArticleEdit, by user: User, now: Date = Date()) async throws {
        guard let id = edit.article.id else { throw NewsroomError.notFound }
        _ = try await open(id, for: user)
        try await database.transaction { sql in
            try await sql.raw(
                "DELETE FROM revisions WHERE article_id = \(bind: id) AND kind = 'autosave' AND user_id = \(bind: user.id!)"
            ).run()
            try await Self.addRevision(edit.article, kind: "autosave", user: user.id, now: now, in: sql)
            let names = String(decoding: try JSONEncoder().encode(TypedNames(edit)), as: UTF8.self)
            try await sql.raw(
                "UPDATE revisions SET typed_names = \(bind: names) WHERE article_id = \(bind: id) AND kind = 'autosave' AND user_id = \(bind: user.id!)"
            ).run()
        }
    }

    /// This user's autosave of the story, when it is newer than the story's last save, with the tag and byline
    /// names as typed.
    public func pendingAutosave(of article: Article, for user: User) async throws -> (RevisionInfo, ArticleEdit)? {
        try await database.read { sql in
            guard
                let row = try await sql.raw(
                    "SELECT r.*, u.name AS user_name FROM revisions r LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = \(bind: article.id!) AND r.kind = 'autosave' AND r.user_id = \(bind: user.id!) AND r.saved_at >= \(bind: article.updatedAt.millisecondsSince1970) ORDER BY r.id DESC LIMIT 1"
                ).first()
            else { return nil }
            let names = try row.optionalString("typed_names").flatMap {
                try? JSONDecoder().decode(TypedNames.self, from: Data($0.utf8))
            }
            return (
                try Self.revisionInfo(row),
                ArticleEdit(try Self.snapshot(row), tagNames: names?.tags, bylineNames: names?.bylines)
            )
        }
    }
}

/// The tag and byline names of an autosave, as typed (kept beside its snapshot, never resolved).
struct TypedNames: Codable {
    var tags: [String]?
    var bylines: [String]?

    init(_ edit: ArticleEdit) {
        tags = edit.tagNames
        bylines = edit.bylineNames
    }
}
