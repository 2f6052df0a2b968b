import Foundation
import NewsCore
import SQLKit

// Corrections: what an editor adds to a story readers have already read.
extension Newsroom {
    /// Whether `user` may add a correction to `article`: someone who may publish in its rubric, once it is
    /// published.
    public static func mayCorrect(_ article: Article, user: User) -> Bool {
        article.status == .published && user.role(forRubric: article.rubricID).can(.publish)
    }

    /// Adds a dated correction to a published story, in one transaction with its new version ("correction"), its
    /// event (every page that shows the story) and its audit entry. The note is 1 to ``Correction/maxLength``
    /// characters; corrections are never edited or removed, and saves keep them.
    @discardableResult
    public func addCorrection(_ text: String, to id: Int64, by user: User, now: Date = Date()) async throws -> Article {
        let note = UkrainianText.normalize(text)
        return try await database.transaction { sql in
            guard let before = try await ArticleRepository.articles(in: sql, where: "a.id = \(bind: id)").first else {
                throw NewsroomError.notFound
            }
            guard before.status == .published else {
                throw NewsroomError.invalid([FieldError(field: "correction", key: "error_correction_unpublished")])
            }
            guard Self.mayCorrect(before, user: user) else { throw NewsroomError.forbidden }
            guard !note.isEmpty, note.count <= Correction.maxLength else {
                throw NewsroomError.invalid([FieldError(field: "correction", key: "error_correction")])
            }
            var article = before
            article.corrections = (before.corrections ?? []) + [Correction(at: now, text: note)]
            article.version += 1
            article.updatedAt = now
            let claimed = try await sql.raw(
                "UPDATE articles SET version = \(bind: article.version) WHERE id = \(bind: id) AND version = \(bind: before.version) RETURNING id"
            ).first()
            guard claimed != nil else {
                throw NewsroomError.stale(current: before.version, savedBy: nil, savedAt: nil)
            }
            let stored = try await ArticleRepository.save(article, in: sql)
            try await Self.addRevision(stored, kind: "correction", user: user.id, now: now, in: sql)
            try await ChangeLog.record(
                .corrected, source: .newsroom, user: user.id, before: before, after: stored, now: now, in: sql)
            return stored
        }
    }
}
