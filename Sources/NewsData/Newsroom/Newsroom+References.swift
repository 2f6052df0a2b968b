import Foundation
import NewsCore
import SQLKit

// What a story refers to: photos, other stories, tags, bylines, its rubric and its address.
extension Newsroom {
    /// The article an old slug now points to.
    public func redirect(from slug: String) async throws -> String? {
        try await database.read { sql in
            try await sql.raw(
                "SELECT a.slug FROM slug_redirects r JOIN articles a ON a.id = r.article_id WHERE r.slug = \(bind: slug)"
            ).first()?.decode(column: "slug", as: String.self)
        }
    }

    /// Everything that would make a save of `article` fail validation, checked without writing.
    public func problems(of article: Article) async throws -> [FieldError] {
        let own = ArticleValidation.problems(article)
        if !own.isEmpty { return own }
        return try await database.read { sql in
            do {
                try await Self.checkReferences(article, excluding: article.id, in: sql)
                return []
            } catch NewsroomError.invalid(let problems) {
                return problems
            }
        }
    }

    /// Body blocks may only refer to photos and articles that exist; the slug must be free.
    static func checkReferences(_ article: Article, excluding id: Int64?, in sql: any SQLDatabase) async throws {
        // One query counts everything the story names (an import stores thousands of stories a minute).
        func list(_ ids: Set<Int64>) -> SQLGroupExpression {
            SQLGroupExpression(SQLList((ids.isEmpty ? [-1] : ids.sorted()).map { SQLBind($0) }))
        }
        let mediaIDs = Set(article.mediaIDs)
        let related = Set(
            article.body.compactMap { block -> Int64? in
                if case .readAlso(let articleID) = block { return articleID }
                return nil
            })
        let tagIDs = Set(article.tagIDs)
        let authorIDs = Set(article.bylineIDs)
        let row = try await sql.raw(
            """
            SELECT (SELECT COUNT(*) FROM articles WHERE slug = \(bind: article.slug) AND id <> \(bind: id ?? 0)) AS slug_taken,
            (SELECT COUNT(*) FROM media WHERE id IN \(list(mediaIDs))) AS media,
            (SELECT COUNT(*) FROM articles WHERE id IN \(list(related))) AS related,
            (SELECT COUNT(*) FROM tags WHERE id IN \(list(tagIDs))) AS tags,
            (SELECT COUNT(*) FROM authors WHERE id IN \(list(authorIDs))) AS authors,
            (SELECT COUNT(*) FROM rubrics WHERE id = \(bind: article.rubricID ?? -1)) AS rubric
            """
        ).first()
        func count(_ column: String) throws -> Int { try row?.decode(column: column, as: Int.self) ?? 0 }
        var problems: [FieldError] = []
        if try count("slug_taken") > 0 { problems.append(FieldError(field: "slug", key: "error_slug_taken")) }
        if try count("media") != mediaIDs.count {
            problems.append(FieldError(field: "body", key: "error_missing_media"))
        }
        if try count("related") != related.count || related.contains(id ?? -1) {
            problems.append(FieldError(field: "body", key: "error_missing_article"))
        }
        if try count("tags") != tagIDs.count {
            problems.append(FieldError(field: "tags", key: "error_missing_reference"))
        }
        if try count("authors") != authorIDs.count {
            problems.append(FieldError(field: "bylines", key: "error_missing_reference"))
        }
        if article.rubricID != nil, try count("rubric") == 0 {
            problems.append(FieldError(field: "rubric", key: "error_missing_reference"))
        }
        if !problems.isEmpty { throw NewsroomError.invalid(problems) }
    }
}

extension Newsroom {
    /// Where an old site's address (normalised by `LegacyURL`) now is: a published story's address, or the page it
    /// was recorded with; `nil` when it is not recorded or its story is not public.
    public func legacyTarget(_ path: String) async throws -> LegacyTarget? {
        guard !path.isEmpty else { return nil }
        return try await database.read { sql in
            guard
                let row = try await sql.raw(
                    """
                    SELECT l.target, a.slug, a.status FROM legacy_urls l LEFT JOIN articles a ON a.id = l.article_id
                    WHERE l.path = \(bind: path)
                    """
                ).first()
            else { return nil }
            if let slug = try row.decodeNil(column: "slug") ? nil : row.decode(column: "slug", as: String.self) {
                let status = try row.decode(column: "status", as: String.self)
                return status == ArticleStatus.published.rawValue ? .article(slug: slug) : nil
            }
            guard !(try row.decodeNil(column: "target")) else { return nil }
            return LegacyTarget(recorded: try row.decode(column: "target", as: String.self))
        }
    }
}

/// Where an old address leads.
public enum LegacyTarget: Sendable, Equatable {
    case article(slug: String)
    case rubric(slug: String)
    case tag(slug: String)
    case author(slug: String)

    /// A page target as recorded ("rubric:sport", "tag:futbol", "author:ivan-petrenko").
    init?(recorded: String) {
        let parts = recorded.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else { return nil }
        switch parts[0] {
        case "rubric": self = .rubric(slug: parts[1])
        case "tag": self = .tag(slug: parts[1])
        case "author": self = .author(slug: parts[1])
        default: return nil
        }
    }
}
