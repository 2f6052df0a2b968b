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
        var problems: [FieldError] = []
        if try await Database.articleSlugTaken(article.slug, excluding: id, in: sql) {
            problems.append(FieldError(field: "slug", key: "error_slug_taken"))
        }
        let mediaIDs = article.mediaIDs
        if !mediaIDs.isEmpty {
            let list = SQLGroupExpression(SQLList(mediaIDs.map { SQLBind($0) }))
            let found =
                try await sql.raw("SELECT COUNT(*) AS n FROM media WHERE id IN \(list)").first()?
                .decode(column: "n", as: Int.self) ?? 0
            if found != Set(mediaIDs).count { problems.append(FieldError(field: "body", key: "error_missing_media")) }
        }
        let related = article.body.compactMap { block -> Int64? in
            if case .readAlso(let articleID) = block { return articleID }
            return nil
        }
        if !related.isEmpty {
            let list = SQLGroupExpression(SQLList(Set(related).map { SQLBind($0) }))
            let found =
                try await sql.raw("SELECT COUNT(*) AS n FROM articles WHERE id IN \(list)").first()?
                .decode(column: "n", as: Int.self) ?? 0
            if found != Set(related).count || related.contains(id ?? -1) {
                problems.append(FieldError(field: "body", key: "error_missing_article"))
            }
        }
        let references: [(String, [Int64], String)] = [
            ("tags", article.tagIDs, "tags"), ("authors", article.bylineIDs, "bylines"),
        ]
        for (table, ids, field) in references where !ids.isEmpty {
            let list = SQLGroupExpression(SQLList(Set(ids).map { SQLBind($0) }))
            let found =
                try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE id IN \(list)").first()?
                .decode(column: "n", as: Int.self) ?? 0
            if found != Set(ids).count { problems.append(FieldError(field: field, key: "error_missing_reference")) }
        }
        if let rubric = article.rubricID,
            try await sql.raw("SELECT 1 AS one FROM rubrics WHERE id = \(bind: rubric)").first() == nil
        {
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
