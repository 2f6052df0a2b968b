import Foundation
import NewsCore
import SQLKit

// Stories brought in from outside (`shpalta import jsonl`, the demo, later WordPress): the same checks as a
// save in the editor, a revision and an event that say "import".
extension Newsroom {
    /// Stores one imported story inside the importer's transaction: its own fields and its references are checked
    /// as for a save from the editor, it gets a revision of kind "import" and its event (source: import). When
    /// `article.id` names a story an earlier import created, that story is updated (its version goes up).
    /// - Returns: the stored story, and whether it is new.
    public static func importArticle(
        _ article: Article, analysed: SearchDocument, now: Date, in sql: any SQLDatabase
    ) async throws -> (Article, created: Bool) {
        var article = try validated(article)
        let before = try await article.id.asyncMap {
            try await ArticleRepository.articles(in: sql, where: "a.id = \(bind: $0)").first
        }
        if let before {
            article.version = before.version + 1
            article.createdBy = before.createdBy
        } else {
            article.id = nil
        }
        try await checkReferences(article, excluding: before?.id, in: sql)
        let stored = try await ArticleRepository.save(article, analysed: analysed, in: sql)
        try await addRevision(stored, kind: "import", user: nil, now: now, in: sql)
        try await ChangeLog.record(
            before == nil ? .created : .saved, source: .import, user: nil, before: before, after: stored, now: now,
            in: sql)
        return (stored, before == nil)
    }

    /// Adds a rubric an imported story names (the menu on every page changes).
    public static func importRubric(_ rubric: Rubric, now: Date, in sql: any SQLDatabase) async throws -> Rubric {
        guard Slug.isValid(rubric.slug), !Slug.reserved.contains(rubric.slug) else {
            throw NewsroomError.invalid([FieldError(field: "rubric", key: "error_slug_invalid")])
        }
        let stored = try await RubricRepository.upsert(rubric, in: sql)
        try await ChangeLog.record(
            ChangeEvent(
                action: .rubricsChanged, source: .import, userID: nil, subject: rubric.slug, address: "cli",
                keys: [ChangeEvent.everyPage], at: now), in: sql)
        return stored
    }

    /// The audit entry of one transaction of an import: which file, which lines, how many stories were added
    /// and updated.
    public static func recordImport(
        file: String, lines: ClosedRange<Int>, created: Int, updated: Int, now: Date, in sql: any SQLDatabase
    ) async throws {
        let name = (file as NSString).lastPathComponent
        try await ChangeLog.record(
            ChangeEvent(
                action: .articlesImported, source: .import, userID: nil,
                subject: "\(name), lines \(lines.lowerBound)–\(lines.upperBound): \(created) new, \(updated) updated",
                address: "cli", at: now), in: sql)
    }
}

extension Optional {
    fileprivate func asyncMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
