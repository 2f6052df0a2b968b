import Foundation
import NewsCore
import SQLKit

extension SearchRepository {
    /// The newest published stories whose headline has every word of `text`, the last word as typed so far (its
    /// start, or any of its forms when it is a whole word): a search box's suggestions while the reader types.
    /// Empty when the last word has fewer than two letters, or there are no words.
    public func headlines(startingWith text: String, now: Date, limit: Int = 5) async throws -> [ArticleSummary] {
        let tokens = SearchQuery.wordTokens(analyzer.tokens(String(text.prefix(200))))
        guard let last = tokens.last, last.surface.count >= 2, tokens.count <= 8 else { return [] }
        let typingLast = text.last.map { $0.isLetter || $0.isNumber } ?? false
        let whole = (typingLast ? tokens.dropLast() : tokens[...]).map { SearchQuery.safe($0.terms) }
        let prefixes =
            typingLast ? analyzer.prefixes(of: last.surface).map(SearchIndex.lexeme).filter { !$0.isEmpty } : []
        let lastTerms = typingLast ? SearchQuery.safe(last.terms) : []
        guard whole.allSatisfy({ !$0.isEmpty }), !whole.isEmpty || !prefixes.isEmpty else { return [] }
        let ids = try await database.search.headlines(
            HeadlineWords(whole: whole, prefixes: prefixes, lastTerms: lastTerms), now: now, limit: limit,
            in: database)
        guard !ids.isEmpty else { return [] }
        let list = SQLGroupExpression(SQLList(ids.map { SQLBind($0) }))
        let rows = try await database.read { sql in
            try await sql.raw(
                "SELECT \(Columns.summary) FROM articles a LEFT JOIN rubrics r ON r.id = a.rubric_id LEFT JOIN media m ON m.id = a.cover_media_id WHERE a.id IN \(list)"
            ).all()
        }
        let byID = Dictionary(try rows.map { try $0.summary() }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return ids.compactMap { byID[$0] }
    }
}
