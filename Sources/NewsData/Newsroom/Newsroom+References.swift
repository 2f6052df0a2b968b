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
