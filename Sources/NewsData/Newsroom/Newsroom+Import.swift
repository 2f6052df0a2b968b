import Foundation
import NewsCore
import SQLKit

/// What an import did to one story.
public enum ImportChange: Sendable, Equatable {
    case created, updated, unchanged
}

// Stories brought in from outside (`shpalta import jsonl`, the demo, later WordPress): the same checks as a
// save in the editor, a revision and an event that say "import".
extension Newsroom {
    /// Stores one imported story inside the importer's transaction: its own fields and its references are checked
    /// as for a save from the editor, it gets a revision of kind "import" and its event (source: import). When
    /// `article.id` names a story an earlier import created, that story is updated (its version goes up).
    /// - Returns: the stored story, and whether it is new, changed or already stored as it is (then nothing is
    ///   written: importing a file again leaves no revisions and no events).
    /// - Parameter indexLater: the caller indexes the story with ``indexImported(_:in:)`` before its transaction ends
    ///   (SQLite's full-text index writes a segment at every savepoint, so an import that keeps each story in a
    ///   savepoint of its own indexes its batch at once, after them).
    public static func importArticle(
        _ article: Article, analysed: SearchDocument, indexLater: Bool = false, now: Date, in sql: any SQLDatabase
    ) async throws -> (Article, ImportChange) {
        var article = try validated(article)
        let before = try await article.id.asyncMap {
            try await ArticleRepository.articles(in: sql, where: "a.id = \(bind: $0)").first
        }
        if let before {
            var same = article
            same.id = before.id
            same.version = before.version
            same.createdBy = before.createdBy
            same.createdAt = before.createdAt
            same.updatedAt = before.updatedAt
            same.editorialNote = before.editorialNote
            if same == before { return (before, .unchanged) }
            article.version = before.version + 1
            article.createdBy = before.createdBy
        } else {
            article.id = nil
        }
        try await checkReferences(article, excluding: before?.id, in: sql)
        let stored = try await ArticleRepository.save(article, analysed: analysed, indexing: !indexLater, in: sql)
        try await addRevision(stored, kind: "import", user: nil, now: now, in: sql)
        try await ChangeLog.record(
            before == nil ? .created : .saved, source: .import, user: nil, before: before, after: stored, now: now,
            in: sql)
        return (stored, before == nil ? .created : .updated)
    }

    /// Stores new imported stories (none has an `id`) inside the importer's transaction, as
    /// ``importArticle(_:analysed:indexLater:now:in:)`` stores each (the same checks, a revision of kind "import" and
    /// an event each, in order), with many rows a statement: a batch of hundreds costs a few round trips, not a
    /// dozen per story. The caller indexes them with ``indexImported(_:in:)``.
    /// - Throws: the first story's refusal when any story fails a check; then nothing is written, and the caller
    ///   stores the batch one story at a time to learn which.
    public static func importNewArticles(_ articles: [Article], now: Date, in sql: any SQLDatabase) async throws
        -> [Article]
    {
        let checked = try articles.map { article in
            var article = try validated(article)
            article.id = nil
            return article
        }
        try await checkReferences(checked, in: sql)
        // Each body is written as JSON once, for the story and its revision.
        let bodies = checked.map { Block.encodeBody($0.body) }
        let stored = try await ArticleRepository.insertNew(checked, bodies: bodies, in: sql)
        try await addRevisions(stored, bodies: bodies, kind: "import", user: nil, now: now, in: sql)
        try await ChangeLog.recordStories(
            stored.map {
                ChangeEvent(action: .created, source: .import, userID: nil, before: nil, after: $0, at: now)
            }, in: sql)
        return stored
    }

    /// Indexes imported stories for search (each `id` set to its story's), inside the import's transaction.
    public static func indexImported(_ documents: [SearchDocument], in sql: any SQLDatabase) async throws {
        guard !documents.isEmpty else { return }
        try await SearchIndex.write(documents, replacing: true, in: sql)
    }

    /// Records the old site's addresses of imported stories (normalised by the caller), each answered with a
    /// permanent redirect to its story; an address recorded for another story moves to this one (when two stories
    /// here name the same address, the later one keeps it).
    public static func recordLegacyURLs(_ stories: [(paths: [String], articleID: Int64)], in sql: any SQLDatabase)
        async throws
    {
        var owners: [String: Int64] = [:]
        for (paths, articleID) in stories { for path in paths where !path.isEmpty { owners[path] = articleID } }
        let rows = owners.sorted { $0.key < $1.key }.map {
            SQLGroupExpression([SQLBind($0.key), SQLBind($0.value), SQLLiteral.null] as [any SQLExpression])
        }
        // One statement for many of them.
        for chunk in rows.chunks(of: ArticleRepository.rowsPerStatement / 2) {
            try await sql.raw(
                """
                INSERT INTO legacy_urls (path, article_id, target) VALUES \(SQLList(Array(chunk)))
                ON CONFLICT (path) DO UPDATE SET article_id = excluded.article_id, target = NULL
                """
            ).run()
        }
    }

    /// Records old archive addresses (a category, tag or author page of the old site) that answer with a permanent
    /// redirect to one of our pages; an address already recorded for a story stays the story's.
    public static func recordLegacyTargets(_ targets: [(path: String, target: String)], in sql: any SQLDatabase)
        async throws
    {
        for (path, target) in targets where !path.isEmpty {
            try await sql.raw(
                """
                INSERT INTO legacy_urls (path, article_id, target) VALUES (\(bind: path), NULL, \(bind: target))
                ON CONFLICT (path) DO UPDATE SET target = excluded.target WHERE legacy_urls.article_id IS NULL
                """
            ).run()
        }
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
