import Foundation
import NewsCore
import SQLKit

// Saving a story's content, and restoring an old version as a new save.
extension Newsroom {
    /// Saves `article` (its content fields) over the stored story, if it is still at `expectedVersion`
    /// and this tab (`lockToken`) holds the edit lock. Status and publication time are not changed here.
    @discardableResult
    public func save(_ article: Article, expectedVersion: Int, lockToken: String, by user: User, now: Date = Date())
        async throws -> Article
    {
        try await save(ArticleEdit(article), expectedVersion: expectedVersion, lockToken: lockToken, by: user, now: now)
    }

    /// The same for an edit whose tag and byline names are resolved in the save's transaction, after the lock,
    /// the version and the role have been checked (a refused save adds no tag or byline).
    @discardableResult
    public func save(_ edit: ArticleEdit, expectedVersion: Int, lockToken: String, by user: User, now: Date = Date())
        async throws -> Article
    {
        guard let id = edit.article.id else { throw NewsroomError.notFound }
        var cleaned = edit
        cleaned.article = try Self.validated(edit.article)
        let edit = cleaned
        return try await database.transaction { sql in
            guard let current = try await ArticleRepository.articles(in: sql, where: "a.id = \(bind: id)").first else {
                throw NewsroomError.notFound
            }
            // The lock and the version first: a tab that lost either is told so, whatever else changed.
            try await Self.checkLock(id, token: lockToken, in: sql)
            guard current.version == expectedVersion else {
                let last = try await Self.lastSave(of: id, in: sql)
                throw NewsroomError.stale(current: current.version, savedBy: last?.userName, savedAt: last?.savedAt)
            }
            let role = user.role(forRubric: current.rubricID)
            // A limited editor may not move a story into a rubric outside their own.
            guard role == user.role(forRubric: edit.article.rubricID),
                Workflow.canEdit(status: current.status, role: role, isOwn: Self.owns(current, user: user))
            else {
                throw NewsroomError.forbidden
            }
            let article = try await Self.resolveNames(of: edit, in: sql)
            try await Self.checkReferences(article, excluding: id, in: sql)
            var updated = current
            updated.title = article.title
            updated.slug = article.slug
            updated.lede = article.lede
            updated.teaser = article.teaser
            updated.body = article.body
            updated.rubricID = article.rubricID
            updated.tagIDs = article.tagIDs
            updated.bylineIDs = article.bylineIDs
            updated.coverMediaID = article.coverMediaID
            updated.featured = article.featured
            updated.breaking = article.breaking
            updated.seoTitle = article.seoTitle
            updated.seoDescription = article.seoDescription
            updated.editorialNote = article.editorialNote
            updated.pinnedRelated = article.pinnedRelated
            updated.version = current.version + 1
            updated.updatedAt = now
            if current.slug != updated.slug, current.publishedAt != nil,
                current.status == .published || current.status == .unpublished
            {
                // The old address keeps working as a permanent redirect.
                try await sql.raw("DELETE FROM slug_redirects WHERE slug = \(bind: updated.slug)").run()
                try await sql.raw(
                    "INSERT INTO slug_redirects (slug, article_id) VALUES (\(bind: current.slug), \(bind: id)) ON CONFLICT (slug) DO UPDATE SET article_id = excluded.article_id"
                ).run()
            }
            let stored = try await ArticleRepository.save(updated, in: sql)
            try await Self.addRevision(stored, kind: "save", user: user.id, now: now, in: sql)
            try await ChangeLog.record(
                .saved, source: .newsroom, user: user.id, before: current, after: stored, now: now, in: sql)
            try await sql.raw(
                "DELETE FROM revisions WHERE article_id = \(bind: id) AND kind = 'autosave' AND user_id = \(bind: user.id!)"
            ).run()
            return stored
        }
    }

    /// Brings back the content of a saved version as a new save (status and address stay as they are).
    @discardableResult
    public func restore(
        _ revisionID: Int64, of id: Int64, expectedVersion: Int, lockToken: String, by user: User, now: Date = Date()
    ) async throws -> Article {
        let (_, old) = try await revision(revisionID, of: id)
        guard let current = try await ArticleRepository(database: database).find(id: id) else {
            throw NewsroomError.notFound
        }
        var restored = old
        restored.id = id
        restored.slug = current.slug
        return try await save(restored, expectedVersion: expectedVersion, lockToken: lockToken, by: user, now: now)
    }
}
