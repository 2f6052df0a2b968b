import Foundation
import NewsCore
import SQLKit

/// Search on PostgreSQL: a weighted `tsvector` column of `articles` (`search_vector`: headline A, lede B, body D)
/// with a GIN index, and a generated one with the headline's and lede's terms only (`search_head`), for ranking.
struct PostgresSearchEngine: SearchEngine {
    /// Sets the documents' vectors, a hundred articles a statement: terms with their positions, as a `tsvector`
    /// literal each (``vector(_:)``). There is no old entry to remove: the vector is overwritten.
    func write(_ documents: [SearchDocument], replacing: Bool, in sql: any SQLDatabase) async throws {
        // The last analysis of an article counts, as when they were written one after another.
        var latest: [Int64: SearchDocument] = [:]
        var order: [Int64] = []
        for document in documents {
            if latest.updateValue(document, forKey: document.id) == nil { order.append(document.id) }
        }
        var start = 0
        while start < order.count {
            let chunk = order[start..<min(start + 100, order.count)]
            start += chunk.count
            let rows = chunk.compactMap { latest[$0] }.map { document in
                SQLGroupExpression(
                    [
                        SQLBind(document.id), SQLBind(Self.vector(document.title)), SQLBind(Self.vector(document.lede)),
                        SQLBind(Self.vector(document.body)),
                    ] as [any SQLExpression])
            }
            try await sql.raw(
                """
                UPDATE articles AS a SET search_vector =
                    setweight(v.title::tsvector, 'A') || setweight(v.lede::tsvector, 'B') || setweight(v.body::tsvector, 'D')
                FROM (VALUES \(SQLList(rows))) AS v (id, title, lede, body)
                WHERE a.id = v.id::bigint
                """
            ).run()
        }
    }

    /// Nothing to empty: every vector is overwritten.
    func clear(in sql: any SQLDatabase) async throws {}

    /// `VACUUM (ANALYZE)` (outside a transaction, where it must run) drops the row versions the rebuild replaced,
    /// moves the GIN index's pending entries into the index, and gives the planner fresh statistics.
    func optimize(_ database: Database) async throws {
        try await database.read { sql in try await sql.raw("VACUUM (ANALYZE) articles").run() }
    }

    /// The phrase operator takes any number of alternatives, so no phrase is checked in texts.
    func checksText(_ phrase: [[String]]) -> Bool { false }

    /// Matched through the GIN index alone (materialised, and the search runs with sequential scans off): given
    /// the filters too, the planner may take the rows from a b-tree and test each one's vector, read from TOAST
    /// storage, which for a common word is ten times slower. The CTE is called `a` and carries every column the
    /// filters use. Ranked by the headline's and lede's terms alone (weights 1 and 0.4): a match only in the body
    /// scores 0, and newer comes first among equals.
    func hits(_ query: SearchQuery, in search: SearchRequest, offset: Int, limit: Int) async throws -> [SearchHit] {
        let rank: SQLQueryString =
            "ts_rank('{0.1, 0.2, 0.4, 1.0}', search_head, to_tsquery('simple', \(bind: Self.rankExpression(query))))"
        let sort: SQLQueryString =
            switch search.order {
            case .relevance: "score, a.published_at DESC, a.id DESC"
            case .newest: "a.published_at DESC, a.id DESC"
            }
        let sqlQuery: SQLQueryString =
            "WITH a AS MATERIALIZED (SELECT id, status, published_at, rubric_id, created_by, -\(rank) AS score FROM articles WHERE search_vector @@ to_tsquery('simple', \(bind: Self.matchExpression(query)))) SELECT a.id, a.score AS score FROM a WHERE 1 = 1 \(search.filters) ORDER BY \(sort) LIMIT \(bind: limit) OFFSET \(bind: offset)"
        return try await search.database.readUsingIndexes { sql in
            try await sql.raw(sqlQuery).all().map { row in
                SearchHit(
                    id: try row.decode(column: "id", as: Int64.self),
                    score: try row.decode(column: "score", as: Double.self))
            }
        }
    }

    /// Headline terms (weight A), the last one also as a prefix (`:*A`).
    func headlines(_ words: HeadlineWords, now: Date, limit: Int, in database: Database) async throws -> [Int64] {
        func any(_ terms: [String]) -> String { "(" + terms.map { "'\($0)':A" }.joined(separator: " | ") + ")" }
        var groups = words.whole.map(any)
        if !words.prefixes.isEmpty {
            groups.append(
                "("
                    + (words.prefixes.map { "'\($0)':*A" } + words.lastTerms.map { "'\($0)':A" })
                    .joined(separator: " | ") + ")")
        }
        let expression = groups.joined(separator: " & ")
        return try await database.readUsingIndexes { sql in
            try await sql.raw(
                "SELECT a.id FROM articles a WHERE a.search_vector @@ to_tsquery('simple', \(bind: expression)) AND a.status = 'published' AND a.published_at <= \(bind: now.millisecondsSince1970) ORDER BY a.published_at DESC, a.id DESC LIMIT \(bind: limit)"
            ).all().map { try $0.decode(column: "id", as: Int64.self) }
        }
    }

    /// A document's terms as a `tsvector` literal, each with its position (positions past 16,383, the most
    /// PostgreSQL keeps, all count as 16,383). Terms hold letters and digits only, so none needs quoting.
    static func vector(_ document: String) -> String {
        var vector = String()
        vector.reserveCapacity(document.utf8.count * 2)
        for (index, position) in document.split(separator: " ").enumerated() {
            let place = String(min(index + 1, 16_383))
            for term in position.split(separator: "/") {
                if !vector.isEmpty { vector.append(" ") }
                vector.append("'")
                vector.append(contentsOf: term)
                vector.append("':")
                vector.append(place)
            }
        }
        return vector
    }

    /// The query text for `query`: every word (any of its terms), each phrase's words side by side (`<->`), none
    /// of the excluded words. Terms are plain lexemes, so nothing the reader typed can become query syntax.
    static func matchExpression(_ query: SearchQuery) -> String {
        let groups = query.required + query.phrases.flatMap { $0 }
        func group(_ terms: [String]) -> String {
            terms.count == 1 ? "'\(terms[0])'" : "(" + terms.map { "'\($0)'" }.joined(separator: " | ") + ")"
        }
        var expression = groups.map(group).joined(separator: " & ")
        for phrase in query.phrases where phrase.count > 1 {
            expression += " & (" + phrase.map(group).joined(separator: " <-> ") + ")"
        }
        for excluded in query.excluded { expression += " & !" + group(excluded) }
        return expression
    }

    /// The query text for ranking a match: any of the query's wanted terms, so that a headline with one of two
    /// words still ranks above a body with both (`ts_rank` of an AND scores only terms found together).
    static func rankExpression(_ query: SearchQuery) -> String {
        (query.required + query.phrases.flatMap { $0 }).flatMap { $0 }.map { "'\($0)'" }.joined(separator: " | ")
    }
}
