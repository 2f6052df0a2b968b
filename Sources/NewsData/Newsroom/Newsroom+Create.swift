import Foundation
import NewsCore
import SQLKit

// Creating a draft.
extension Newsroom {
    /// Creates a draft from `article` for `user`; the creator holds its edit lock.
    public func create(_ article: Article, by user: User, now: Date = Date()) async throws -> (Article, token: String) {
        try await create(ArticleEdit(article), by: user, now: now)
    }

    /// Creates a draft from `edit` for `user` (its tag and byline names resolved in the same transaction); the
    /// creator holds its edit lock.
    public func create(_ edit: ArticleEdit, by user: User, now: Date = Date()) async throws -> (Article, token: String)
    {
        guard user.role.can(.writeDrafts), !user.disabled else { throw NewsroomError.forbidden }
        var draft = edit.article
        draft.id = nil
        draft.status = .draft
        draft.publishedAt = nil
        draft.createdBy = user.id
        draft.createdAt = now
        draft.updatedAt = now
        draft.version = 1
        let prepared = try Self.validated(draft)
        let token = SessionRepository.randomToken()
        let stored = try await database.transaction { sql in
            var checked = try await Self.resolveNames(
                of: ArticleEdit(prepared, tagNames: edit.tagNames, bylineNames: edit.bylineNames), in: sql)
            if checked.bylineIDs.isEmpty, let author = user.authorID { checked.bylineIDs = [author] }
            try await Self.checkReferences(checked, excluding: nil, in: sql)
            let stored = try await ArticleRepository.save(checked, in: sql)
            try await Self.addRevision(stored, kind: "create", user: user.id, now: now, in: sql)
            try await ChangeLog.record(
                .created, source: .newsroom, user: user.id, before: nil, after: stored, now: now, in: sql)
            try await sql.raw(
                "INSERT INTO article_locks (article_id, user_id, token, acquired_at, seen_at) VALUES (\(bind: stored.id!), \(bind: user.id!), \(bind: token), \(bind: now.millisecondsSince1970), \(bind: now.millisecondsSince1970))"
            ).run()
            return stored
        }
        return (stored, token)
    }
}
