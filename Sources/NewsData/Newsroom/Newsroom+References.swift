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
        var article = article
        article.id = id
        try await checkReferences([article], in: sql)
    }

    /// Checks what each of `articles` refers to, as above (each article's own `id` excluded from the slug check):
    /// one query for all of them (an import checks a batch of hundreds at once). Two of them may not share a slug.
    static func checkReferences(_ articles: [Article], in sql: any SQLDatabase) async throws {
        guard !articles.isEmpty else { return }
        func list(_ ids: some Sequence<Int64>) -> SQLGroupExpression {
            SQLGroupExpression(SQLList((Set(ids).sorted() + [-1]).map { SQLBind($0) }))
        }
        func related(_ article: Article) -> [Int64] {
            article.body.compactMap { block -> Int64? in
                if case .readAlso(let articleID) = block { return articleID }
                return nil
            }
        }
        let slugs = SQLGroupExpression(SQLList(Set(articles.map(\.slug)).sorted().map { SQLBind($0) }))
        let media = list(articles.flatMap(\.mediaIDs))
        let linked = list(articles.flatMap(related) + articles.flatMap { $0.pinnedRelated ?? [] })
        let tags = list(articles.flatMap(\.tagIDs))
        let authors = list(articles.flatMap(\.bylineIDs))
        let rubrics = list(articles.compactMap(\.rubricID))
        let rows = try await sql.raw(
            """
            SELECT 'slug' AS kind, id, slug AS name FROM articles WHERE slug IN \(slugs)
            UNION ALL SELECT 'media' AS kind, id, '' AS name FROM media WHERE id IN \(media)
            UNION ALL SELECT 'article' AS kind, id, '' AS name FROM articles WHERE id IN \(linked)
            UNION ALL SELECT 'tag' AS kind, id, '' AS name FROM tags WHERE id IN \(tags)
            UNION ALL SELECT 'author' AS kind, id, '' AS name FROM authors WHERE id IN \(authors)
            UNION ALL SELECT 'rubric' AS kind, id, '' AS name FROM rubrics WHERE id IN \(rubrics)
            """
        ).all()
        var found: [String: Set<Int64>] = [:]
        var slugOwners: [String: Int64] = [:]
        for row in rows {
            let kind = try row.decode(column: "kind", as: String.self)
            let id = try row.decode(column: "id", as: Int64.self)
            found[kind, default: []].insert(id)
            if kind == "slug" { slugOwners[try row.decode(column: "name", as: String.self)] = id }
        }
        func exist(_ kind: String, _ ids: [Int64]) -> Bool { ids.allSatisfy { found[kind]?.contains($0) == true } }
        var batchSlugs = Set<String>()
        for article in articles {
            var problems: [FieldError] = []
            let taken = slugOwners[article.slug].map { $0 != article.id } ?? false
            if taken || !batchSlugs.insert(article.slug).inserted {
                problems.append(FieldError(field: "slug", key: "error_slug_taken"))
            }
            if !exist("media", article.mediaIDs) {
                problems.append(FieldError(field: "body", key: "error_missing_media"))
            }
            let linked = related(article)
            if !exist("article", linked) || linked.contains(article.id ?? -1) {
                problems.append(FieldError(field: "body", key: "error_missing_article"))
            }
            let pins = article.pinnedRelated ?? []
            if !exist("article", pins) || pins.contains(article.id ?? -1) {
                problems.append(FieldError(field: "related", key: "error_related_unknown"))
            }
            if !exist("tag", article.tagIDs) {
                problems.append(FieldError(field: "tags", key: "error_missing_reference"))
            }
            if !exist("author", article.bylineIDs) {
                problems.append(FieldError(field: "bylines", key: "error_missing_reference"))
            }
            if !exist("rubric", article.rubricID.map { [$0] } ?? []) {
                problems.append(FieldError(field: "rubric", key: "error_missing_reference"))
            }
            if !problems.isEmpty { throw NewsroomError.invalid(problems) }
        }
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
